"""The PDF receipt: offered once on the receipt page, set in the vendored Thai font, code only in
the body (never in the file name, a URL or the metadata)."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import pytest
from PIL import ImageFile
from pypdf import PdfReader

from complaints.seed import ensure_demo_org
from complaints.web import receipt_pages
from complaints.web.context import get_store
from complaints.web.pdf import html_to_pdf, pdf_available, spell_out_sara_am
from tests.conftest import make_test_app
from tests.web_helpers import CORRUPTION, GENERAL, category_id, client_for, post_form, tokens

CODE = re.compile(r'id="tracking-code">([0-9A-Z-]{19})<')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PDF_TOKEN = re.compile(r'name="pdf_token" value="([^"]+)"')


def _download_form(html: str) -> dict[str, str]:
    return {"csrf_token": CSRF.search(html).group(1), "pdf_token": PDF_TOKEN.search(html).group(1)}

# CI installs Pango (.ci/run), so there a missing PDF renderer is a failure, not a skip.
if not os.environ.get("CI") and not pdf_available():
    pytest.skip("WeasyPrint cannot load Pango on this machine", allow_module_level=True)


def _receipt_page(app, session, path="/general/new", data=GENERAL, channel="general"):
    client = client_for(app)
    assert post_form(client, path, {**data, "category": category_id(session, channel)}).status_code == 303
    html = client.get("/receipt").get_data(as_text=True)
    return client, html, CODE.search(html).group(1)


def _text_and_fonts(pdf: bytes) -> tuple[str, set[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    return text, fonts


@pytest.mark.parametrize("path,data,channel,label", [
    ("/general/new", GENERAL, "general", "ร้องเรียน/ร้องทุกข์ทั่วไป"),
    ("/corruption/new", CORRUPTION, "corruption", "แจ้งเรื่องการทุจริตและประพฤติมิชอบ"),
])
def test_pdf_receipt_has_the_code_and_dates_in_thai_set_in_sarabun(app, session, path, data, channel, label):
    client, html, code = _receipt_page(app, session, path, data, channel)
    assert 'id="receipt-pdf"' in html and 'target="_blank"' in html
    response = client.post("/receipt.pdf", data=_download_form(html))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == 'attachment; filename="receipt.pdf"'
    text, fonts = _text_and_fonts(response.data)
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 1  # one sheet to print or keep
    # Every glyph is Sarabun's: no fallback font that could draw Thai as empty boxes.
    assert fonts and all(re.fullmatch(r"/[A-Z]{6}\+Sarabun(-Bold)?", f) for f in fonts), fonts
    # The same Buddhist Era dates as the page.
    received, due = (re.search(rf'id="{name}">([^<]+)<', html).group(1) for name in ("received-date", "due-date"))
    assert re.search(r" 25[6-9]\d$", due)
    # A general complaint's receipt gives the time it came (rules.md R6); a corruption report
    # keeps its day only, so its receipt has no time to give.
    time_pattern = r" 25[6-9]\d เวลา \d\d\.\d\d น\.$" if channel == "general" else r" 25[6-9]\d$"
    assert re.search(time_pattern, received), received
    # Sara am is spelled out as nikhahit + sara aa (how it is drawn), so no letter is lost.
    for expected in ("ใบรับเรื่อง", "เทศบาลตำบลตัวอย่าง", "รหัสติดตามเรื่อง", label, "ภายในวันที่",
                     code, received, due):
        assert spell_out_sara_am(expected) in text, expected
    assert "ผู้ร้องเรียนหรือผู้แจ้ง" in text and GENERAL["name"] not in text and GENERAL["phone"] not in text
    # Rendering left Pillow refusing truncated images (WeasyPrint turns that off at import).
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    # The metadata carries the title only.
    info = PdfReader(io.BytesIO(response.data)).metadata or {}
    assert all(code not in str(value) for value in info.values())


def test_both_channels_pdf_receipts_come_in_one_size_and_still_read(app, session):
    # Their texts and the glyphs those use differ (about 600 bytes unpadded): a network watcher
    # must not tell a reporter's download from a complainant's by its length.
    sizes = set()
    for path, data, channel in (("/general/new", GENERAL, "general"), ("/corruption/new", CORRUPTION, "corruption")):
        client, html, code = _receipt_page(app, session, path, data, channel)
        pdf = client.post("/receipt.pdf", data=_download_form(html)).data
        sizes.add(len(pdf))
        reader = PdfReader(io.BytesIO(pdf), strict=True)  # the offsets the file records still hold
        assert spell_out_sara_am("รหัสติดตามเรื่อง") in reader.pages[0].extract_text()
        assert pdf.endswith(b"%%EOF\n") and b"startxref" in pdf[-64:]
    assert len(sizes) == 1 and sizes.pop() % app.config["PAD_PAGES_TO"] == 0


def test_pdf_is_given_once_and_needs_the_receipt_page_and_csrf(app, session):
    client, html, code = _receipt_page(app, session)
    form = _download_form(html)
    assert client.post("/receipt.pdf", data={"pdf_token": form["pdf_token"]}).status_code == 400  # no CSRF
    first = client.post("/receipt.pdf", data=form)
    assert first.status_code == 200
    again = client.post("/receipt.pdf", data=form)
    assert again.status_code == 410 and code not in again.get_data(as_text=True)
    # Opened in its own tab: it says the download lapsed, not that the receipt (still open) is gone.
    assert "ดาวน์โหลดใบรับเรื่อง (PDF) ไม่ได้แล้ว" in again.get_data(as_text=True)
    assert "ใบรับเรื่องนี้แสดงไปแล้ว" not in again.get_data(as_text=True)
    assert client.get("/receipt").status_code == 410  # the page itself was shown once too
    # A fresh browser that never saw the receipt gets nothing.
    stranger = client_for(app)
    page = stranger.get("/general/new").get_data(as_text=True)
    assert stranger.post("/receipt.pdf", data={"csrf_token": tokens(page)["csrf_token"]}).status_code == 410


def test_the_offer_needs_the_pages_token_and_ends_when_the_page_is_left(app, session):
    # Whoever uses the browser next has no token from the page, and cannot get the code.
    client, html, code = _receipt_page(app, session)
    csrf = CSRF.search(html).group(1)
    wrong = client.post("/receipt.pdf", data={"csrf_token": csrf, "pdf_token": "guess"})
    assert wrong.status_code == 410 and code not in wrong.get_data(as_text=True)
    assert client.post("/receipt.pdf", data=_download_form(html)).status_code == 410  # spent by the guess
    # Leaving the receipt page withdraws the offer, even for the page's own token.
    client, html, code = _receipt_page(app, session)
    client.get("/static/style.css")  # the page's own stylesheet does not count as leaving
    client.get("/guide/general")
    later = client.post("/receipt.pdf", data=_download_form(html))
    assert later.status_code == 410 and code not in later.get_data(as_text=True)


def test_pdf_downloads_are_rate_limited(tmp_path, db_url):
    app = make_test_app(tmp_path / "instance", db_url, RECEIPT_PDF_RATE_LIMIT="2 per day")
    with get_store(app).sessions() as s, s.begin():
        ensure_demo_org(s)
    client = client_for(app)
    form = {"csrf_token": tokens(client.get("/general/new").get_data(as_text=True))["csrf_token"]}
    assert [client.post("/receipt.pdf", data=form).status_code for _ in range(3)] == [410, 410, 429]
    get_store(app).engine.dispose()


def test_without_a_pdf_renderer_the_page_offers_print_only(app, session, monkeypatch):
    monkeypatch.setattr(receipt_pages, "pdf_available", lambda: False)
    client, html, _code = _receipt_page(app, session)
    assert 'id="receipt-pdf"' not in html and 'name="pdf_token"' not in html and "เมนูพิมพ์" in html


def test_text_layer_keeps_sara_am_and_the_tone_mark_before_it():
    # WeasyPrint maps a glyph inside a multi-glyph cluster to no text: unspelled, "ต่ำ" (low)
    # came out of the PDF as "ตา" (eye), and "น้ำ" (water) as "นา" (rice field).
    words = "ตำบล ต่ำ น้ำ ซ้ำ ก๋ำ ทำ"
    text = PdfReader(io.BytesIO(html_to_pdf(f"<p>{words}</p>"))).pages[0].extract_text()
    assert "ตําบล ต\u0e4d\u0e48\u0e32 น\u0e4d\u0e49\u0e32 ซ\u0e4d\u0e49\u0e32 ก\u0e4d\u0e4b\u0e32 ทํา" in text
    assert spell_out_sara_am(words) in text and "ตา " not in text
    assert spell_out_sara_am("<p class=\"org\">ก</p>") == "<p class=\"org\">ก</p>"


def _structure(node, found: list[str]) -> list[str]:
    """The structure types of a tagged PDF's tree, depth first."""
    node = node.get_object()
    if "/S" in node:
        found.append(str(node["/S"]))
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids]:
        if kid is not None and hasattr(kid.get_object(), "get"):
            _structure(kid, found)
    return found


@pytest.mark.parametrize("lang", ["th", "en"])
def test_pdf_receipt_is_tagged_for_screen_readers_in_the_pages_language(app, session, lang):
    client = client_for(app)
    client.get(f"/lang/{lang}")
    assert post_form(client, "/general/new", {**GENERAL, "category": category_id(session, "general")}).status_code == 303
    html = client.get("/receipt").get_data(as_text=True)
    root = PdfReader(io.BytesIO(client.post("/receipt.pdf", data=_download_form(html)).data)).trailer["/Root"]
    assert root["/Lang"] == lang and bool(root["/MarkInfo"]["/Marked"])
    # Read in the page's order: the heading, then the code and dates as a list of terms.
    tags = _structure(root["/StructTreeRoot"], [])
    assert tags.index("/H1") < tags.index("/L") and tags.count("/LI") >= 4


_START_UP = """
import sys
from complaints import create_app
create_app({"INSTANCE_PATH": sys.argv[1], "SECRET_KEY": "k" * 32, "DATABASE_URL": "sqlite:///" + sys.argv[1] + "/d.db"})
print(len(list(__import__("pathlib").Path(sys.argv[2]).glob("weasyprint-*"))))
"""


def _fonts_folders_seen(tmp_path, script: str) -> tuple[list[str], list]:
    """What ``script`` printed (fonts folders it counted) and the folders left after it exited."""
    temp, instance = tmp_path / "tmp", tmp_path / "instance"
    temp.mkdir()
    instance.mkdir()
    done = subprocess.run([sys.executable, "-c", script, str(instance), str(temp)], check=True,
                          capture_output=True, text=True, env={**os.environ, "TMPDIR": str(temp)}, timeout=120)
    return done.stdout.split(), list(temp.glob("weasyprint-*"))


def test_the_pdf_fonts_folder_is_made_at_start_up_and_removed_at_exit(tmp_path):
    # WeasyPrint writes the fonts to a fresh temporary folder. Made at the first PDF, its times
    # would say when a receipt was asked for, minutes after a report was filed.
    printed, left = _fonts_folders_seen(tmp_path, _START_UP)
    assert printed == ["1"]  # made by create_app, before any request
    assert not left  # and gone with the process


_FORKED_WORKER_EXITS = _START_UP + """
import os
pid = os.fork()
if pid == 0:  # a worker forked from the master, as gunicorn --preload does, that exits normally
    sys.exit(0)
os.waitpid(pid, 0)
print(len(list(__import__("pathlib").Path(sys.argv[2]).glob("weasyprint-*"))))
"""


def test_a_forked_worker_that_exits_leaves_the_fonts_folder_to_the_others(tmp_path):
    printed, left = _fonts_folders_seen(tmp_path, _FORKED_WORKER_EXITS)
    assert printed == ["1", "1"]  # still there after the worker's exit
    assert not left  # and gone with the process that made it
