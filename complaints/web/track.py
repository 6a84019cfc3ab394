"""The tracking page (DESIGN.md §6): the complainant enters the code from the receipt and sees the
state, the dates that bind the organization and the notices sent, and answers a waiting question.

The code travels in POST bodies only (never a URL or a log line), and each POST is answered by a
redirect with the code sealed in a draft (``web.drafts``), so no history entry keeps it in a body;
the pages are not kept by the browser. A wrong, malformed or other organization's code gets the
same answer.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session
from wtforms import HiddenField, StringField
from wtforms.validators import Length

from complaints import codes
from complaints.models import Case
from complaints.web.context import get_session, get_store
from complaints.web.drafts import keep_draft, restore, take_draft
from complaints.web.forms import NUMBER_FILTERS, REQUIRED, TextForm, VisibleRequired, clean_text, text
from complaints.web.limits import limiter
from complaints.web.orgcache import OrgSnapshot
from complaints.web.public import current_org
from complaints.web.receipts import utcnow
from complaints.web.refusal_marks import mark_refusal
from complaints.web.security import NO_STORE
from complaints.workflow import states, tracking

bp = Blueprint("track", __name__)

NOT_FOUND = _("ไม่พบเรื่องที่ตรงกับรหัสนี้ กรุณาตรวจสอบรหัสบนใบรับเรื่อง ซึ่งมีตัวอักษรภาษาอังกฤษและตัวเลข 16 ตัว"
              " ในรูปแบบ XXXX-XXXX-XXXX-XXXX")
REFUSED = {
    "no_question": _("ไม่มีคำถามที่รอคำตอบแล้ว คำตอบที่ส่งไว้ก่อนหน้านี้ (ถ้ามี) ได้รับแล้ว ไม่ต้องส่งซ้ำ"),
    "blank": REQUIRED,
    "too_long": _("ยาวเกิน %(n)s ตัวอักษร", n=tracking.ANSWER_MAX),
}
EXPIRED = _("แบบฟอร์มเปิดไว้นานเกินกำหนด")
TOO_MANY = _("ส่งบ่อยเกินไป กรุณารอสักครู่แล้วลองใหม่")
ANSWER_MAYBE_SAVED = _("ระบบขัดข้อง คำตอบอาจยังไม่ได้บันทึก คำตอบที่พิมพ์ไว้เก็บไว้ให้แล้ว กดปุ่ม “ดูเรื่อง” แล้วดูว่ามีคำตอบนี้ในเรื่องแล้วหรือไม่"
                        " หากยังไม่มี จึงส่งอีกครั้ง")
ANSWER_KEPT = _("คำตอบที่พิมพ์ไว้ยังไม่ได้ส่ง แต่เก็บไว้ให้แล้ว กดปุ่ม “ดูเรื่อง” เพื่อกลับไปที่เรื่อง แล้วกดส่งคำตอบอีกครั้ง")
ANSWERED = _("ส่งคำตอบแล้ว เจ้าหน้าที่จะพิจารณาต่อจากคำตอบของท่าน")
# A code is 19 characters written out; anything much longer is not one (same answer as a wrong code).
CODE_MAX = 64


class TrackForm(TextForm):
    """The code from the receipt, typed in any case, with or without dashes, in either digit script."""

    code = StringField(_("รหัสติดตามเรื่อง"), filters=NUMBER_FILTERS,
                       validators=[VisibleRequired(REQUIRED), Length(max=CODE_MAX, message=NOT_FOUND)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"})
    # An answer typed before its form was refused (expired, too many tries), carried back to the
    # case page once the code is entered again, so it is not lost. Not checked here: a hidden
    # field has nowhere to say what is wrong, so an answer over the limit refused every lookup
    # without a word. The answer form checks it when it is sent (drafts bound its size).
    draft = HiddenField(filters=[clean_text])


class AnswerForm(TextForm):
    """The complainant's answer to the officer's question; the code comes back with it, hidden."""

    code = HiddenField(filters=NUMBER_FILTERS, validators=[Length(max=CODE_MAX)])
    message = text(_("คำตอบของท่าน"), tracking.ANSWER_MAX, VisibleRequired(REQUIRED), area=True)


def tracking_limit() -> str:
    """Tries per client on the tracking page (``TRACKING_RATE_LIMIT``): guessing stays hopeless."""
    return str(current_app.config["TRACKING_RATE_LIMIT"])


def _org() -> OrgSnapshot:
    org = current_org()
    if org is None:
        abort(503)
    return org


def _case(session: Session, org: OrgSnapshot, code: str) -> Case | None:
    case = codes.find_case(session, get_store().vault.keyring.index_key, code)
    # One deployment serves one organization: another's code is as unknown here as a wrong one.
    return case if case is not None and case.org_id == org.id else None


def _page(template: str, status: int, **context: Any) -> Any:
    # The reads are done (the view is plain data): end the transaction before rendering, since
    # on SQLite every transaction holds the write lock (complaints.db).
    get_session().rollback()
    # Not kept by the browser: whoever uses the computer next must not find the case in history.
    return render_template(template, **context), status, NO_STORE


def _case_page(session: Session, org: OrgSnapshot, case: Case, form: AnswerForm, status: int = 200,
               done: bool = False) -> Any:
    view = tracking.case_view(session, case)
    return _page("track_case.html", status, org=org, view=view, form=form, answered=done, answer_max=tracking.ANSWER_MAX,
                 reasons=states.NOT_ACCEPTED_REASONS, agencies=states.FORWARDING_AGENCIES)


def _lookup_page(org: OrgSnapshot, form: TrackForm, status: int) -> Any:
    return _page("track.html", status, org=org, form=form)


@bp.route("/track", methods=["GET", "POST"])
@limiter.limit(tracking_limit, methods=["POST"])
def track() -> Any:
    """Enter the code; the case page follows by a redirect (``web.drafts``), so no history entry
    keeps the code in a POST body."""
    org = _org()
    now = utcnow()
    if request.method != "POST":  # GET, or HEAD: only a POST leaves a draft
        draft = take_draft(now)  # a refused lookup, sent back here
        form = restore(TrackForm, draft) if draft else TrackForm(formdata=None)
        if form.form_errors:  # a refusal whose words were not kept: this page shows the code's alert only
            form.code.errors = [*form.form_errors, *form.code.errors]
        return _lookup_page(org, form, draft["status"] if draft else 200)
    form = TrackForm()
    if not form.validate_on_submit():
        return keep_draft(form, 400, now)
    session = get_session()
    found = _case(session, org, form.code.data) is not None
    session.rollback()  # on SQLite the read holds the write lock the draft needs
    if not found:
        form.code.errors = [NOT_FOUND]
        return keep_draft(form, 404, now)
    return keep_draft(form, 200, now, to=url_for("track.case_page"),
                      fields={"code": form.code.data, "message": form.draft.data or ""})


@bp.get("/track/case")
def case_page() -> Any:
    """The case a lookup or an answer just opened, shown once; a reload asks for the code again."""
    org = _org()
    draft = take_draft(utcnow())
    code = str((draft or {}).get("fields", {}).get("code", ""))
    session = get_session()
    case = _case(session, org, code) if code else None
    if draft is None or case is None:
        session.rollback()
        reason = (draft or {}).get("reason")
        # A refusal without words: the lookup page says why. Not a ``?cookies=off`` address:
        # marked in the session, it would be believed on a request that does send the cookie.
        if reason is not None and reason != "no_cookie":
            mark_refusal(url_for("track.track"), utcnow(), reason)
        return redirect(url_for("track.track"), code=303)
    return _case_page(session, org, case, restore(AnswerForm, draft), draft["status"],
                      done=bool(draft.get("answered")))


@bp.post("/track/answer")
@limiter.limit(tracking_limit)
def answer() -> Any:
    """Answer the officer's question; the case page follows with the answer in its timeline."""
    org = _org()
    now = utcnow()
    form = AnswerForm()
    session = get_session()
    case = _case(session, org, form.code.data or "")
    session.rollback()  # on SQLite the read holds the write lock a draft needs; the case reloads
    if case is None:
        lookup = TrackForm(formdata=None)
        lookup.code.errors = [NOT_FOUND]
        return keep_draft(lookup, 404, now, to=url_for("track.track"), fields={})
    to_case = url_for("track.case_page")
    # The code as it found the case (Thai digits made ASCII): the case page looks it up again.
    kept = {"code": form.code.data or "", "message": form.message.data or ""}
    if not form.validate_on_submit():
        return keep_draft(form, 400, now, to=to_case, fields=kept)
    try:
        tracking.answer(session, case, form.message.data, now)
        session.commit()
        g.filed = "answer"  # a failure from here must not say "not saved" (web/public.py)
    except tracking.AnswerRefused as exc:
        session.rollback()
        form.message.errors = [REFUSED[exc.reason]]
        return keep_draft(form, 409 if exc.reason == "no_question" else 400, now, to=to_case, fields=kept)
    return keep_draft(form, 200, now, to=to_case, fields={"code": form.code.data}, answered=True)


def refill_tracking(message: object, status: int) -> Any | None:
    """For a lookup or an answer refused before its view ran (an expired form, too many tries):
    the code form again by a redirect (``web.drafts``), the code filled in and a typed answer
    kept in it, with ``message``; None for any other request.

    A redirect, not a page in answer to the POST: a history entry would keep the code, and the
    answer, in its body. The case is not looked up here: this runs outside the tracking limit
    (an expired form is refused before it), and a lookup would let a guesser past it. Sending the
    code again opens the case page with the answer in its box.
    """
    org = current_org()
    if request.endpoint not in ("track.track", "track.answer") or request.method != "POST" or org is None:
        return None
    if request.endpoint == "track.track":
        if status == 500:  # a failed lookup saved nothing: the 500 handler's redirect says so, with no code
            return None
        lookup = TrackForm()
        code, kept = lookup.code.data or "", lookup.draft.data or ""
    else:
        posted = AnswerForm()
        code, kept = posted.code.data or "", posted.message.data or ""
    form = TrackForm(formdata=None, code=code, draft=kept)
    if status == 500 and request.endpoint == "track.answer":
        # Its COMMIT may have gone through though its reply was lost: not "not saved".
        form.code.errors = [ANSWER_MAYBE_SAVED]
    else:
        said = {429: TOO_MANY, 400: EXPIRED}.get(status, message)
        form.code.errors = [said, *([ANSWER_KEPT] if kept else [])]
    return keep_draft(form, status, utcnow(), to=url_for("track.track"), fields={"code": code, "draft": kept},
                      required=status == 500, past_limit=status == 429)
