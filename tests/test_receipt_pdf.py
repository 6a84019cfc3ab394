"""The PDF receipt: offered once on the receipt page, set in the vendored Thai font, code only in
the body (never in the file name, a URL or the metadata)."""
from __future__ import annotations

import io
import os
import re

import pytest
from PIL import ImageFile
from pypdf import PdfReader

from complaints.web import filing as filing_views
from complaints.web.pdf import pdf_available
from tests.web_helpers import CORRUPTION, GENERAL, category_id, client_for, post_form, tokens

CODE = re.compile(r'id="tracking-code">([0-9A-Z-]{19})<')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

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
    assert 'id="receipt-pdf"' in html
    response = client.post("/receipt.pdf", data={"csrf_token": CSRF.search(html).group(1)})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == 'attachment; filename="receipt.pdf"'
    text, fonts = _text_and_fonts(response.data)
    # Every glyph is Sarabun's: no fallback font that could draw Thai as empty boxes.
    assert fonts and all(re.fullmatch(r"/[A-Z]{6}\+Sarabun(-Bold)?", f) for f in fonts), fonts
    # The same Buddhist Era dates as the page.
    received, due = (re.search(rf'id="{name}">([^<]+)<', html).group(1) for name in ("received-date", "due-date"))
    assert re.search(r" 25[6-9]\d$", received) and re.search(r" 25[6-9]\d$", due)
    # Sara am is drawn as nikhahit + sara aa and extracts as sara aa; compare the same way.
    for expected in ("ใบรับเรื่อง", "เทศบาลตำบลตัวอย่าง", "รหัสติดตามเรื่อง", label, "ภายในวันที่",
                     code, received, due):
        assert expected.replace("\u0e33", "\u0e32") in text, expected
    assert "ผู้แจ้ง" in text and GENERAL["name"] not in text and GENERAL["phone"] not in text
    # Rendering left Pillow refusing truncated images (WeasyPrint turns that off at import).
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    # The metadata carries the title only.
    info = PdfReader(io.BytesIO(response.data)).metadata or {}
    assert all(code not in str(value) for value in info.values())


def test_pdf_is_given_once_and_needs_the_receipt_page_and_csrf(app, session):
    client, html, code = _receipt_page(app, session)
    token = CSRF.search(html).group(1)
    assert client.post("/receipt.pdf", data={}).status_code == 400  # no CSRF token
    first = client.post("/receipt.pdf", data={"csrf_token": token})
    assert first.status_code == 200
    again = client.post("/receipt.pdf", data={"csrf_token": token})
    assert again.status_code == 410 and code not in again.get_data(as_text=True)
    assert client.get("/receipt").status_code == 410  # the page itself was shown once too
    # A fresh browser that never saw the receipt gets nothing.
    stranger = client_for(app)
    page = stranger.get("/general/new").get_data(as_text=True)
    assert stranger.post("/receipt.pdf", data={"csrf_token": tokens(page)["csrf_token"]}).status_code == 410


def test_without_a_pdf_renderer_the_page_offers_print_only(app, session, monkeypatch):
    monkeypatch.setattr(filing_views, "pdf_available", lambda: False)
    client, html, _code = _receipt_page(app, session)
    assert 'id="receipt-pdf"' not in html and "Ctrl+P" in html
