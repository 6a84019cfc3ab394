"""End-to-end journeys in a real Chromium against ``complaints serve`` on a loopback port.

The server runs as its own process (as a municipality would run it), so these tests also see what
the development server writes to its log. Chromium is Debian's (/usr/bin/chromium); Playwright's
browser download is never used.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.live_server import live_server

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")
BE_YEAR = re.compile(r"25\d\d")
SUBJECT = "ไฟฟ้าส่องทางดับ ซอย 3"
DESCRIPTION = "ไฟถนนหน้าบ้านเลขที่ 45/๖ ดับมา ๑๒ วัน ตั้งแต่วันที่ 3 มี.ค. 2568 เสาต้นที่ ๗"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``complaints init`` then ``complaints serve`` on a free port, with its request lines on (the
    worst case for what the log could hold); yields (base URL, log path)."""
    with live_server(tmp_path_factory.mktemp("browser-server"), env_extra={"COMPLAINTS_SERVE_ACCESS_LOG": "true"}) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright's sync API."""
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} not found: install Debian's chromium package (never 'playwright install')"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def seen() -> dict[str, list[str]]:
    """Console errors, page errors, failed requests and every request URL, over all journeys."""
    return {"errors": [], "failed": [], "urls": []}


@pytest.fixture
def new_page(browser: Any, seen: dict[str, list[str]]) -> Iterator[Any]:
    """Open pages in fresh contexts (own cookies) that report into ``seen``."""
    contexts = []

    def make(**options: Any) -> Any:
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and seen["errors"].append(f"{m.location.get('url')}: {m.text}"))
        page.on("pageerror", lambda e: seen["errors"].append(f"{page.url}: {e}"))
        page.on("requestfailed", lambda r: seen["failed"].append(f"{r.url}: {r.failure}"))
        page.on("request", lambda r: seen["urls"].append(r.url))
        return page

    yield make
    for context in contexts:
        context.close()


def _has_thai_system_font() -> bool:
    fc_list = shutil.which("fc-list")
    return bool(fc_list and subprocess.run([fc_list, ":lang=th"], capture_output=True, text=True).stdout.strip())


def _fill_general(page: Any, name: str) -> None:
    page.fill("#name", name)
    page.fill("#phone", "๐๘๑-234-5678")
    page.select_option("#category", index=1)
    page.fill("#subject", SUBJECT)
    page.fill("#description", DESCRIPTION)
    page.check("#declaration")


def test_general_complaint_gets_a_one_time_receipt(server, new_page, tmp_path):
    base, _ = server
    page = new_page()
    page.goto(base + "/")
    page.click("main a[href='/general/new']")
    page.wait_for_url(base + "/general/new")
    options = page.locator("#category option")
    assert options.nth(0).get_attribute("value") == "" and options.nth(1).get_attribute("value").isdigit()
    _fill_general(page, "นางสาวสมใจ ทดสอบ")
    Image.new("RGB", (32, 24), (200, 40, 40)).save(tmp_path / "photo.png")
    page.set_input_files("#attachments", str(tmp_path / "photo.png"))
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/receipt")
    code = page.locator("#tracking-code").inner_text().strip()
    assert CODE.match(code), code
    assert BE_YEAR.search(page.locator("#received-date").inner_text())
    assert BE_YEAR.search(page.locator("#due-date").inner_text())
    assert code not in page.url
    shot = tmp_path / "receipt-general.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0
    # The one PDF download, from a new tab: a file named without the code, and the receipt stays.
    with page.context.expect_event("download") as download:
        page.click("#receipt-pdf")
    pdf = tmp_path / "receipt.pdf"
    download.value.save_as(pdf)
    assert download.value.suggested_filename == "receipt.pdf" and pdf.read_bytes().startswith(b"%PDF-")
    assert code in PdfReader(str(pdf)).pages[0].extract_text()
    assert page.url == base + "/receipt" and page.locator("#tracking-code").inner_text().strip() == code
    page.reload()
    assert page.locator("#tracking-code").count() == 0
    assert code not in page.content()
    assert "แสดงไปแล้ว" in page.locator("h1").inner_text()
    # The code, typed back as people do (lower case, no dashes), opens the case on the tracking page.
    page.goto(base + "/")
    page.click("main a[href='/track']")
    page.fill("#code", code.replace("-", "").lower())
    page.click("form button[type=submit]")
    assert page.locator("#state").inner_text().strip() == "รับเรื่องแล้ว"
    assert BE_YEAR.search(page.locator("#next-due").inner_text())
    assert code not in page.url and code not in page.content()


def test_anonymous_corruption_report_on_a_phone_leaves_no_address_in_the_log(server, new_page, tmp_path):
    base, log_path = server
    page = new_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    user_agent = page.evaluate("navigator.userAgent")
    page.goto(base + "/corruption/new")
    page.select_option("#category", index=1)
    page.fill("#description", "เจ้าหน้าที่เรียกรับเงิน ๓,๐๐๐ บาท เพื่อออกใบอนุญาต")
    page.fill("#when", "มีนาคม 2568")
    page.fill("#place", "สำนักงานเทศบาล")
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/receipt")
    assert CODE.match(page.locator("#tracking-code").inner_text().strip())
    # On one line: a code broken after a dash could be copied down as three groups.
    box = page.locator("#tracking-code").bounding_box()
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#tracking-code')).lineHeight)")
    assert box["height"] < 1.5 * line and box["x"] + box["width"] <= 360
    # Thai is readable even where the machine has no Thai font (this one, and CI's, has none).
    web_font = page.evaluate("document.fonts.ready.then(() => [...document.fonts].some("
                             "f => f.family.includes('Sarabun Web') && f.status === 'loaded'))")
    assert web_font or _has_thai_system_font()
    page.screenshot(path=str(tmp_path / "receipt-corruption-mobile.png"), full_page=True)
    log = log_path.read_text(errors="replace")
    assert "POST /corruption/new" in log  # the log is the server's, and it is being written
    # Werkzeug's start-up banner names the address the server listens on; no client's address.
    banner = f" * Running on {base}"
    assert banner in log
    log = log.replace(banner, "")
    assert "127.0.0.1" not in log
    assert user_agent not in log


def test_back_button_after_filing_shows_an_empty_form(server, new_page):
    # On a shared office computer, going back from the receipt must not show the next person
    # the report, nor let them send it again with a fresh one-time token.
    base, _ = server
    page = new_page()
    page.goto(base + "/corruption/new")
    page.select_option("#category", index=1)
    page.fill("#accused", "นายหัวหน้า กองคลัง")
    page.fill("#description", "เรียกรับเงินค่าออกใบอนุญาต ๕,๐๐๐ บาท")
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/receipt")
    page.goto(base + "/")
    page.go_back()
    page.go_back()
    page.wait_for_url(base + "/corruption/new")
    assert page.input_value("#accused") == "" and page.input_value("#description") == ""


def test_bad_input_keeps_what_was_typed(server, new_page, tmp_path):
    base, _ = server
    page = new_page()
    page.goto(base + "/general/new")
    _fill_general(page, "")
    evil = tmp_path / "evil.pdf"
    evil.write_text("not a pdf at all\n")
    page.set_input_files("#attachments", str(evil))
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/general/new#error-summary")
    assert page.locator("[role=alert]").is_visible()
    # The page opens at its error summary, with no script: scrolled there, and the next Tab
    # reaches the first error's link, not the menu at the top.
    assert page.evaluate("window.scrollY") > 0
    assert abs(page.locator("#error-summary").evaluate("e => e.getBoundingClientRect().top")) < 50
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#name"
    assert page.input_value("#subject") == SUBJECT
    assert page.input_value("#description") == DESCRIPTION


def _profile_browser(browser: Any, profile: Path, preferences: dict[str, Any] | None = None) -> Any:
    """Chromium with a profile on disk, as a person's browser keeps one, for searching after close;
    ``preferences`` are written into it first, as Chromium's settings page would."""
    if preferences is not None:
        (profile / "Default").mkdir(parents=True)
        (profile / "Default" / "Preferences").write_text(json.dumps(preferences))
    return browser.browser_type.launch_persistent_context(str(profile), executable_path=CHROMIUM,
                                                          args=CHROMIUM_ARGS)


def _files_holding(profile: Path, *needles: bytes) -> list[str]:
    """The files of a closed profile that hold any of ``needles``."""
    return [str(p.relative_to(profile)) for p in profile.rglob("*")
            if p.is_file() and any(needle in p.read_bytes() for needle in needles)]


def test_a_refused_report_leaves_its_words_nowhere_in_the_browser_profile(server, browser, tmp_path):
    # Chromium keeps a history entry's POST body with its tabs, on disk, after it is closed, and
    # Back then Reload sends it again. A refusal comes back by redirect (web/drafts.py), so the
    # entries are GETs and the words are in no file of the profile.
    base, _ = server
    context = _profile_browser(browser, tmp_path / "profile")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # a "resubmit the form?" prompt, if any
    page.goto(base + "/corruption/new")
    page.select_option("#category", index=1)
    page.fill("#description", "CANARYPRGSTORY the clerk took 3,000 baht")
    page.fill("#name", "CANARYPRGNAME")
    page.fill("#email", "not-an-email")
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/corruption/new#error-summary")
    assert page.locator("[role=alert]").is_visible() and page.input_value("#name") == "CANARYPRGNAME"
    page.fill("#email", "")
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/receipt")
    page.goto(base + "/")
    page.go_back()
    page.go_back()  # the refused attempt's entry
    page.reload()
    assert "CANARYPRG" not in page.content()
    context.close()
    assert _files_holding(tmp_path / "profile", b"CANARYPRG") == []


def _file_for_a_code(page: Any, base: str) -> str:
    """File a short corruption report in ``page`` and return the receipt's tracking code."""
    page.goto(base + "/corruption/new")
    page.select_option("#category", index=1)
    page.fill("#description", "เจ้าหน้าที่เรียกรับเงินค่าออกใบอนุญาต")
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/receipt")
    return str(page.locator("#tracking-code").inner_text().strip())


def test_a_looked_up_code_is_in_no_file_of_the_browser_profile(server, browser, tmp_path):
    # The lookup's POST is answered by a redirect to the case page, so no history entry holds the
    # code in a body; a reload of the case page asks for the code again.
    base, _ = server
    context = _profile_browser(browser, tmp_path / "profile")
    page = context.new_page()
    code = _file_for_a_code(page, base)
    page.goto(base + "/track")
    page.fill("#code", code.lower())
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/track/case")
    assert page.locator("#state").is_visible()
    page.reload()
    page.wait_for_url(base + "/track")
    assert not page.locator("#state").count()
    context.close()
    spellings = [s.encode() for s in (code, code.lower(), code.replace("-", ""), code.lower().replace("-", ""))]
    assert _files_holding(tmp_path / "profile", *spellings) == []


def test_english_switch_and_a_clean_strict_page(server, new_page, seen):
    base, _ = server
    page = new_page()
    page.goto(base + "/")
    assert page.get_attribute("html", "lang") == "th"
    with page.expect_navigation() as nav:
        page.get_by_role("link", name="English").click()
    response = nav.value
    assert page.get_attribute("html", "lang") == "en"
    csp = response.headers.get("content-security-policy", "")
    assert csp and "unsafe-inline" not in csp
    # Chromium logs a document's deliberate error status too: a 400 form and a 410 used receipt.
    status = "Failed to load resource: the server responded with a status of"
    intended = {f"{base}/general/new#error-summary: {status} 400 (BAD REQUEST)", f"{base}/receipt: {status} 410 (GONE)"}
    assert [e for e in seen["errors"] if e not in intended] == []
    # A navigation that turns into a download is "aborted" as far as the page is concerned, and so
    # is a web font still loading when a journey moves on to the next page.
    aborted_by_navigation = {f"{base}/receipt.pdf", *(f"{base}/static/fonts/Sarabun-{w}.woff2" for w in ("Regular", "Bold"))}
    assert [f for f in seen["failed"] if f.split(": ")[0] not in aborted_by_navigation
            or not f.endswith("net::ERR_ABORTED")] == []
    assert seen["urls"] and all(u.startswith(base + "/") for u in seen["urls"]), seen["urls"]


# WCAG 2.0-2.2 at levels A and AA, the level Thai government sites are held to, plus axe's best
# practices (one main landmark, headings in order, ...).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
NARROWEST = 320  # CSS px: WCAG 1.4.10 Reflow, a 1280 px screen at 400 % zoom, the smallest phones


def _accessibility_problems(page: Any, label: str) -> list[str]:
    """axe-core's violations on the page as it stands, and content wider than the window."""
    from axe_playwright_python.sync_playwright import Axe

    found = [f"{label}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:3]}"
             for v in Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}).response["violations"]]
    wide = page.evaluate("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right >"
                         " document.documentElement.clientWidth + 1).map(e => e.tagName + '#' + e.id)")
    if wide or page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"):
        found.append(f"{label}: wider than {NARROWEST} px: {wide[:5]}")
    return found


def test_every_public_page_passes_axe_and_reflows_to_320_px(server, new_page):
    # Every page a citizen meets, in both languages, at its plainest and with the form's errors
    # shown, as a 320 px phone shows it: no axe violation and nothing to scroll sideways.
    base, _ = server
    page = new_page(viewport={"width": NARROWEST, "height": 640})
    problems: list[str] = []
    for lang in ("th", "en"):
        page.goto(f"{base}/lang/{lang}?next=/")
        for path in ("/", "/general/new", "/corruption/new", "/guide/general", "/guide/corruption",
                     "/no-such-page", "/receipt", "/track"):
            page.goto(base + path)
            problems += _accessibility_problems(page, f"{lang} {path}")
        for path in ("/general/new", "/corruption/new"):
            page.goto(base + path)
            page.click("form button[type=submit]")  # empty: every required field's message shown
            page.wait_for_load_state()
            assert page.locator("[role=alert]").count(), f"{lang} {path}: no error shown"
            problems += _accessibility_problems(page, f"{lang} {path} with errors")
        page.goto(base + "/general/new")
        _fill_general(page, "นายทดสอบ ระบบ")
        page.click("form button[type=submit]")
        page.wait_for_url(base + "/receipt")
        assert page.locator("#tracking-code").count() == 1
        problems += _accessibility_problems(page, f"{lang} receipt")
        code = page.locator("#tracking-code").inner_text().strip()
        page.goto(base + "/track")
        page.fill("#code", "not-a-code")
        page.click("form button[type=submit]")
        assert page.locator("[role=alert]").count(), f"{lang} /track: no error shown"
        problems += _accessibility_problems(page, f"{lang} /track with errors")
        page.fill("#code", code)
        page.click("form button[type=submit]")
        assert page.locator("#state").count() == 1
        problems += _accessibility_problems(page, f"{lang} tracked case")
    assert problems == []


def test_a_link_from_another_site_does_not_lose_a_form_being_typed(server, new_page):
    # SameSite=Strict withholds the cookie from a navigation that starts on another site, but
    # the browser keeps what the answer sets: a page that wrote a new session replaced the
    # draft's, and its text was lost at sending. Any page (or a link in a chat) could do it.
    base, _ = server
    draft = new_page()
    draft.goto(base + "/general/new")
    _fill_general(draft, "นางทดสอบ ข้ามเว็บ")
    other = draft.context.new_page()
    other.route("http://elsewhere.example/", lambda route: route.fulfill(
        content_type="text/html", body=f'<a id="go" href="{base}/lang/th?next=/general/new">link</a>'))
    other.goto("http://elsewhere.example/")
    with other.expect_navigation(url=base + "/general/new"):  # reloaded as same-site, then redirected
        other.click("#go")
    assert other.locator("input[name=csrf_token]").count() == 1
    draft.click("form button[type=submit]")
    draft.wait_for_url(base + "/receipt")
    assert CODE.match(draft.locator("#tracking-code").inner_text().strip())


def test_printing_a_page_adds_no_time_or_address(server, browser, tmp_path):
    # Printed from the browser (the receipt says to), a page got Chromium's own header and footer:
    # the minute of printing, moments after a report was sent, and the page's address. The
    # receipt shares the guides' stylesheet, which leaves the browser no page margin to print in.
    base, _ = server
    pdf = tmp_path / "printed.pdf"
    subprocess.run([CHROMIUM, *CHROMIUM_ARGS, f"--print-to-pdf={pdf}", f"{base}/guide/general"],
                   capture_output=True, timeout=120, check=True)
    text = "".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert "15" in text and "127.0.0.1" not in text and not re.search(r"\d{1,2}:\d\d\s*[AP]M", text), text[-300:]


_CONTRAST_JS = """el => {
  const rgb = s => s.match(/[0-9.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const a = lum(rgb(getComputedStyle(el).outlineColor)), b = lum([255, 255, 255]);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def test_the_focus_ring_stands_out_and_large_text_does_not_widen_the_page(server, new_page):
    # WCAG 1.4.11: the focus indicator at 3:1 or more against the white page. WCAG 1.4.4/1.4.10: a
    # reader's default text size of 32 px (set here on the root, as the browser setting does for
    # rem and %) must not make a 320 px page scroll sideways.
    base, _ = server
    page = new_page(viewport={"width": NARROWEST, "height": 640})
    page.goto(base + "/general/new")
    for selector in ("#name", "#category", "#declaration", "#attachments", "form button[type=submit]"):
        page.focus(selector)
        ratio = page.eval_on_selector(selector, _CONTRAST_JS)
        assert ratio >= 3, f"{selector}: focus ring {ratio:.2f}:1"
    for path in ("/", "/general/new", "/corruption/new", "/guide/general", "/guide/corruption", "/track"):
        page.goto(base + path)
        page.evaluate("document.documentElement.style.fontSize = '32px'")
        body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert body >= 32 and wide <= NARROWEST, f"{path}: body text {body}px, page {wide}px wide"
