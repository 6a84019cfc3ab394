"""Public pages: home, the published guidelines of both channels, health, and error pages."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from flask import Blueprint, Flask, abort, current_app, g, redirect, render_template, request, url_for
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError
from sqlalchemy import text

from complaints.web.context import get_session, get_store
from complaints.web.orgcache import OrgSnapshot
from complaints.web.receipts import RECEIPT_TTL, receipt_cookie_name, utcnow
from complaints.web.refusal_marks import ERROR_SUMMARY, REASONS, reason_words, refuse_without_words
from complaints.web.security import NO_STORE
from complaints.workflow.guidelines import Step, guideline_for
from complaints.workflow.privacy_notice import privacy_notice

bp = Blueprint("public", __name__)


def current_org() -> OrgSnapshot | None:
    """The organization this deployment serves (``ORG_SLUG``), from the process's snapshot."""
    store = get_store()
    return store.orgs.get(store.sessions, current_app.config["ORG_SLUG"])


@bp.get("/")
def index() -> str:
    """Home page: what each channel is for, links to both, to the guidelines and to tracking."""
    return render_template("index.html", org=current_org())


def channel_privacy_notice(org: OrgSnapshot, channel: str) -> tuple[Step, ...]:
    """The privacy notice of ``channel`` as forms and guides show it, with the configured retention."""
    return privacy_notice(org, channel, retention_days=current_app.config["RETENTION_DAYS"])


@bp.get("/guide/<channel>")
def guide(channel: str) -> str:
    """The published guideline of a channel, from the settings the deadline engine enforces."""
    org = current_org()
    if channel not in ("general", "corruption") or org is None:
        abort(404)
    return render_template("guide.html", org=org, g_=guideline_for(get_session(), org, channel),
                           privacy=channel_privacy_notice(org, channel))


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """Liveness for operators: the database answers."""
    get_session().execute(text("SELECT 1"))
    return {"status": "ok"}, 200


ERRORS = {
    400: ("คำขอไม่ถูกต้อง", "Bad request"),
    404: ("ไม่พบหน้าที่ต้องการ", "Page not found"),
    405: ("เปิดหน้านี้ด้วยวิธีนี้ไม่ได้", "This page cannot be opened this way"),
    413: ("ข้อมูลที่ส่งมีขนาดใหญ่เกินกำหนด ข้อความที่กรอกไว้ยังไม่ได้ส่ง", "What was sent is too large; nothing was filed"),
    429: ("ส่งคำขอบ่อยเกินไป กรุณารอสักครู่แล้วลองใหม่", "Too many requests; please wait and try again"),
    500: ("ระบบขัดข้อง เรื่องยังไม่ได้บันทึก กรุณาลองใหม่ภายหลัง", "Something went wrong and nothing was filed; please try again later"),
    503: ("ระบบยังไม่พร้อมให้บริการ", "The service is not ready"),
}
# Flask-WTF's reason for a token that is the session's own but older than WTF_CSRF_TIME_LIMIT.
CSRF_EXPIRED = "The CSRF token has expired."
FORM_EXPIRED = _("แบบฟอร์มเปิดไว้นานเกินกำหนด ข้อความที่กรอกไว้ยังอยู่ กรุณาตรวจสอบ แนบไฟล์อีกครั้ง (ถ้ามี) แล้วกดส่ง")
# A failure after a filing or an answer was saved (filing.py and track.py set g.filed): the
# reason the page its redirect goes to shows (``web.refusal_marks``), and that page.
_SAVED = {"yes": ("saved_report", "receipt.page"), "maybe": ("maybe_saved", "receipt.page"),
          "answer": ("saved_answer", "track.track")}
# What the receipt page says in place of a receipt (receipt_pages.py).
SAVED_WITHOUT_RECEIPT = frozenset(reason for reason, page in _SAVED.values() if page == "receipt.page")
# The receipt page failed while a receipt waited for it: the receipt is kept for a reload (web.receipts).
_MINUTES = int(RECEIPT_TTL.total_seconds()) // 60
RECEIPT_FAILED = (f"ระบบขัดข้องขณะแสดงใบรับเรื่อง ใบรับเรื่องยังเก็บไว้ กรุณาโหลดหน้านี้ใหม่ภายใน {_MINUTES} นาที"
                  " เพื่อดูรหัสติดตามเรื่อง ไม่ต้องส่งเรื่องซ้ำ",
                  f"Something went wrong while showing your receipt. It is still kept: reload this page within"
                  f" {_MINUTES} minutes to see your tracking code. Do not send the report again")
FAILED = _("ระบบขัดข้อง เรื่องยังไม่ได้บันทึก ข้อความที่กรอกไว้ยังอยู่ กรุณาลองส่งอีกครั้งภายหลัง และแนบไฟล์อีกครั้ง (ถ้ามี)")
TOO_MANY = _("ส่งบ่อยเกินไป ข้อความที่กรอกไว้ยังอยู่ กรุณารอสักครู่ แนบไฟล์อีกครั้ง (ถ้ามี) แล้วกดส่ง หากยังส่งไม่ได้ โปรดลองใหม่ในวันถัดไป")


class Wordless(NamedTuple):
    """Where a form's refusal without words (``web.refusal_marks``) goes, and the reason that
    page shows for a refused token, for a failure and for a request too large to be read."""

    page: str
    stale: str
    failed: str
    too_large: str


# The forms whose POST a refusal without words leaves.
WORDLESS = {
    "filing.general_new": Wordless("filing.general_new", "stale_form", "failed_form", "too_large_form"),
    "filing.corruption_new": Wordless("filing.corruption_new", "stale_form", "failed_form", "too_large_form"),
    "track.track": Wordless("track.track", "stale_lookup", "failed_lookup", "too_large_lookup"),
    "track.answer": Wordless("track.track", "stale_answer", "failed_answer", "too_large_answer"),
}
PDF_REFUSED = (("ดาวน์โหลดใบรับเรื่องไม่สำเร็จ", "The receipt was not downloaded"),
               ("การดาวน์โหลดนี้ไม่มีผลต่อเรื่องที่ส่งไว้แล้ว ไม่ต้องส่งเรื่องซ้ำ",
                "This does not affect a report already sent: do not send it again"))
# Shows a filing form again with what was typed and a message (``filing.refill_form``), or None.
Refill = Callable[[Any, int], Any]


def _error_page(code: int, th: str, en: str, detail: tuple[str, str] | None = None) -> tuple[str, int, dict[str, str]]:
    if request_ctx.url_adapter is None:
        # A Host header Werkzeug cannot route ("a..b", a label over 63 characters): no link on
        # the page can be built, so the answer is the message alone, in plain text.
        return f"{code} {th}\n{code} {en}\n", code, {**NO_STORE, "Content-Type": "text/plain; charset=utf-8"}
    try:
        org = current_org()
    except Exception:  # noqa: BLE001 - the error page must not fail where the database did
        org = None
    # no-store: 404 and 410 are cacheable by default, and a page about a refused filing belongs
    # to no one who uses the browser next.
    return render_template("error.html", org=org, code=code, th=th, en=en, detail=detail), code, NO_STORE


_NO_TIME_LIMIT = 100 * 365 * 24 * 3600


def _own_token(token: str | None) -> bool:
    # The full check (signature, and the session's own token) with age left out.
    try:
        validate_csrf(token, time_limit=_NO_TIME_LIMIT)
    except ValidationError:
        return False
    return True


def _refuse_wordless(reason: str) -> Any | None:
    """The redirect of a refusal without words from this request's form to its page, saying the
    form's ``reason`` (a field of ``Wordless``); None for a request from no such form."""
    form = WORDLESS.get(request.endpoint or "")
    return refuse_without_words(url_for(form.page), utcnow(), getattr(form, reason)) if form else None


def reason_page(reason: str) -> tuple[str, int, dict[str, str]]:
    """The error page saying a wordless refusal's ``reason`` (a key of ``REASONS``), in both
    languages, as every error page is."""
    return _error_page(REASONS[reason][1], reason_words(reason, "th"), reason_words(reason, "en"))


def _after_saving(filed: str) -> Any:
    """The answer to a POST that failed after its filing or answer was saved: a redirect, as for
    every refusal, since a page in answer to the POST would keep its body (the report, or the
    answer and the code) in a history entry. The page it goes to says what was saved."""
    reason, page = _SAVED[filed]
    to_receipt = page == "receipt.page"
    try:
        if to_receipt and g.get("receipt_sealed"):
            # This response still sets the receipt's cookie (an after-request hook, which runs
            # for the error's response too): the receipt page shows the code after all.
            return redirect(url_for(page), code=303)
        anchor = "" if to_receipt else ERROR_SUMMARY  # the receipt's error page has no summary
        return refuse_without_words(url_for(page), utcnow(), reason, anchor=anchor)
    except Exception:  # noqa: BLE001 - the page still comes, in answer to the POST
        return reason_page(reason)


def register_errors(app: Flask, refill: Refill) -> None:
    """Thai-first error pages. A filing refused before its view ran (an expired form, too many
    tries) shows the form again with what was typed, through ``refill``."""
    for code, (th, en) in ERRORS.items():
        if code not in (413, 429, 500):  # these have their own handlers below
            app.register_error_handler(code, lambda _e, c=code, t=th, e=en: _error_page(c, t, e))

    @app.errorhandler(500)
    def _failed(_exc: Exception) -> Any:
        # A filing that failed inside its view (a full disk, a cleaner that crashed) comes back
        # with its words where the database can still keep the draft, and by a redirect without
        # them otherwise, the page saying so (``web.refusal_marks``). The words only for a POST
        # whose token is this session's own: they are then the user's. Not once the case or an
        # answer is saved (filing.py and track.py set g.filed): "nothing was filed" would be untrue.
        if g.get("filed"):
            return _after_saving(g.filed)
        if request.endpoint == "receipt.page" and request.cookies.get(receipt_cookie_name()):
            return _error_page(500, *RECEIPT_FAILED)
        shown = None
        try:
            if request.method == "POST" and _own_token(request.form.get("csrf_token")):
                get_session().rollback()  # the failed transaction first: the draft is a write
                shown = refill(FAILED, 500)
        except Exception:  # noqa: BLE001 - the database, or the form, may be what failed; the page still comes
            shown = None
        if shown is None and request.method == "POST":
            # No draft, but still a redirect: the page in answer to the POST would keep its body
            # in a history entry. The mark needs no database.
            try:
                shown = _refuse_wordless("failed")
            except Exception:  # noqa: BLE001 - the page still comes
                shown = None
        return shown or _error_page(500, *ERRORS[500])

    @app.errorhandler(413)
    def _too_large(_exc: Exception) -> Any:
        # Nothing of the request was read, so no word can be kept; a form's own page says so
        # after a redirect all the same, as for a refused token: the page in answer to the POST
        # would keep its body (a report's words) in a history entry, and the form is where the
        # citizen starts again.
        refused = _refuse_wordless("too_large") if request.method == "POST" else None
        return refused or _error_page(413, *ERRORS[413])  # no form of a citizen's words, or of files, sent this

    @app.errorhandler(429)
    def _too_many(_exc: Exception) -> Any:
        # A route's limit is checked as its view is called, after CSRFProtect has accepted the
        # token: the words posted are this browser's own, not another site's.
        return refill(TOO_MANY, 429) or _error_page(429, *ERRORS[429])

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> Any:
        # Flask-WTF says "expired" before it compares the token with the session's: only a token
        # that is this session's own, merely old, shows the words posted (they are the user's).
        expired_own = exc.description == CSRF_EXPIRED and _own_token(request.form.get("csrf_token"))
        shown = refill(FORM_EXPIRED, 400) if expired_own else None
        if shown:
            return shown
        # The form's own page says why, after a redirect: a page in answer to the POST would
        # leave its body (a report's words, a code) in a history entry. The words are not kept:
        # a post from another site comes here too, and they are not the user's. A browser that
        # blocks cookies fails here on every try, and is told what to change.
        refused = _refuse_wordless("stale")
        if refused:
            return refused
        if request.endpoint == "receipt.pdf":
            # Its body holds the one-time PDF token only. With or without the cookie, never
            # "send your report again": it was sent.
            return _error_page(400, *PDF_REFUSED[0], detail=PDF_REFUSED[1])
        return _error_page(400, *ERRORS[400])
