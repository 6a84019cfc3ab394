"""The two public filing channels (DESIGN.md §4). Views stay thin: parse the form, sanitize
files, call ``file_complaint``, redirect to the receipt (receipt_pages.py)."""
from __future__ import annotations

import uuid
from typing import IO, Any

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from complaints.blobkeeping import take_commit_uncertainty
from complaints.models import Case
from complaints.uploads import UploadRejected, quick_refusal, sanitize_all
from complaints.web.context import get_session, get_store
from complaints.web.drafts import keep_draft, restore, take_draft
from complaints.web.form_pages import PAGES, form_page, with_choices
from complaints.web.forms import FilingForm
from complaints.web.i18n import choose_language
from complaints.web.limits import attempt_limit, limiter, take_filing_slot
from complaints.web.orgcache import OrgSnapshot
from complaints.web.public import TOO_MANY, current_org
from complaints.web.receipts import consume_nonce, issue_nonce, put_receipt, spent_form_token, utcnow
from complaints.workflow.intake import DuplicateFiling, IntakeError, contact_problem, file_complaint, validate_filing

bp = Blueprint("filing", __name__)

# The counters' name in the limiter's store (Redis keys): a route's own name there would say which
# channel was posted to in that minute; the client key (limits.anonymous_client_key) keeps the two
# channels' counts apart.
ATTEMPT_SCOPE = "filing-attempt"
REPLAYED = _("ระบบไม่รับแบบฟอร์มนี้ เพราะส่งไปแล้วหรือเปิดไว้นานเกินไป หากได้รับรหัสติดตามเรื่องของแบบฟอร์มนี้แล้ว"
             " เรื่องได้รับไว้แล้ว ไม่ต้องส่งซ้ำ หากยังไม่ได้รับ กรุณาตรวจสอบข้อความ แนบไฟล์อีกครั้ง (ถ้ามี) แล้วกดส่ง")
# A browser never refills a file input: without this, a form sent again after a typo in another
# field would be filed without the evidence, and nothing would have said so.
REATTACH = _("ไฟล์ที่แนบไว้ยังไม่ได้ส่งและไม่ได้เก็บไว้ กรุณาแนบอีกครั้งก่อนกดส่ง")


def _org() -> OrgSnapshot:
    org = current_org()
    if org is None:
        abort(503)
    return org


def _story_and_identity(form: FilingForm) -> tuple[dict[str, str], dict[str, str] | None]:
    data = {name: field.data for name, field in form._fields.items() if isinstance(field.data, str)}
    story_fields = ("description", "place", "subject", "remedy", "village_no", "community",
                    "accused", "accused_unit", "when", "evidence", "witnesses")
    identity_fields = ("name", "phone", "email", "address")
    story = {k: data[k] for k in story_fields if data.get(k)}
    identity = {k: data[k] for k in identity_fields if data.get(k)} or None
    return story, identity


def _uploads(form: FilingForm) -> list[tuple[str, IO[bytes]]]:
    """The files this request posted, as (name as sent, stream); a blank file input sends a nameless part."""
    return [(upload.filename or "", upload.stream) for upload in request.files.getlist(form.attachments.name)]


def _file(form: FilingForm, org: OrgSnapshot, channel: str) -> Response | None:
    """File a validated form; on bad files or a refused filing, put the message on the form.

    The organization and its categories come from the process's snapshot (read before this, in a
    session of its own, when it has aged out), so the filing's own transaction is the request's
    only one: on SQLite the write lock is taken after the files are cleaned and encrypted, and
    held only for the filing's few statements.
    """
    # The moment the report arrived, not the moment its files were clean: cleaning may take up to
    # FORM_CLEAN_SECONDS, and a report sent at 23:59:50 was received that day.
    now = utcnow()
    uploads = _uploads(form)
    session = get_session()
    try:
        story, identity = _story_and_identity(form)
        category = org.category(channel, form.category.data)
        # What the rules refuse is refused before the costly part: cleaning the files (seconds
        # of a worker for large photos or PDFs) is not spent on a filing that cannot be taken.
        named = [upload for upload in uploads if upload[0].strip()]  # a blank file input sends a nameless part
        config = current_app.config
        validate_filing(org, channel, form.kind.data, "web", story, identity, named, category,
                        max_attachments=config["MAX_ATTACHMENTS"])
        files = sanitize_all(uploads, max_bytes=config["MAX_ATTACHMENT_BYTES"], max_files=config["MAX_ATTACHMENTS"],
                             confined_only=config["UPLOAD_CONFINEMENT"] == "required")
        with session.begin():
            filing = file_complaint(
                session, org, channel, form.kind.data, "web", story, identity, files, now,
                category=category, calendar=org.calendar,
                names_executive=bool(getattr(form, "names_executive", None) and form.names_executive.data),
                form_token=spent_form_token(form.form_nonce.data, now),
                max_attachments=config["MAX_ATTACHMENTS"],
            )
            case = filing.case  # read now: a failed commit below leaves the objects behind
            receipt: dict[str, object] = {"code": filing.tracking_code, "channel": channel,
                       "received_at": case.received_at.isoformat(), "due": case.first_notice_due.isoformat()}
            case_id = case.id
            # Last, so that only a filing nothing else refused uses up a slot; none left rolls
            # it back (files included).
            if not take_filing_slot():
                raise _NoFilingSlot()
    except (UploadRejected, IntakeError) as exc:
        if exc.field == "contact":  # shown with the contact fields' shared hint, each marked invalid
            form.contact_errors.append(str(exc))
            return None
        field = getattr(form, exc.field, None)
        (field.errors if field is not None else form.form_errors).append(str(exc))  # type: ignore[union-attr]
        return None
    except SQLAlchemyError:
        if not take_commit_uncertainty(session):
            raise  # refused before its COMMIT: nothing was filed, and the 500 page says so
        # The COMMIT failed on its way: the case may be written, or still being written. The
        # code is all that can find it, so the receipt is shown, saying so when no case is seen.
        receipt["unconfirmed"] = not _seen(case_id)
    # From here a failure must not bring the form back as "nothing was filed" (web/public.py).
    g.filed = "maybe" if receipt.get("unconfirmed") else "yes"
    put_receipt(receipt, now)
    return redirect(url_for("receipt.page"), code=303)


def _seen(case_id: uuid.UUID) -> bool:
    """Whether a filing whose COMMIT failed on its way (the connection lost before the database
    answered) can be seen in the database now, asked on a fresh connection.

    Not seeing it proves nothing: PostgreSQL may still be writing it, or the database may not
    answer at all. The files stay either way; the orphan purge decides by the attachment rows.
    """
    try:
        with get_store().sessions() as fresh:
            seen = fresh.scalar(select(Case.id).where(Case.id == case_id)) is not None
    except SQLAlchemyError:
        seen = False
    # The error is not raised on, so the administrator hears of the lost connection here.
    current_app.logger.warning("a filing's COMMIT failed on its way; the case was %s; the receipt was shown",
                               "written" if seen else "not seen (the receipt says so)")
    return seen


class _NoFilingSlot(Exception):
    """This client has filed as often as ``FILING_RATE_LIMIT`` allows."""


def _bound_form(form_cls: type[FilingForm], org: OrgSnapshot, channel: str) -> FilingForm:
    """The form with what this request posted."""
    return with_choices(form_cls(), org, channel)


def _channel_view(form_cls: type[FilingForm], channel: str, template: str) -> Any:
    org = _org()
    if request.method != "POST":  # GET, or HEAD: only a POST leaves a draft
        draft = take_draft(utcnow())  # a refused POST's words, sent back here by its redirect
        form = with_choices(restore(form_cls, draft) if draft else form_cls(formdata=None), org, channel)
        form.form_nonce.data = issue_nonce()  # the corrected form is a new submission
        return form_page(form, org, channel, template, draft["status"] if draft else 200)
    form = _bound_form(form_cls, org, channel)
    if "switch_lang" in request.form:
        return _in_other_language(form, request.form["switch_lang"])
    status = 400
    if form.validate_on_submit():
        try:
            if not consume_nonce(form.form_nonce.data):
                raise DuplicateFiling()
            done = _file(form, org, channel)
            if done is not None:
                return done
        except DuplicateFiling:  # its token was spent: in this cookie, or in the database
            form.form_errors.append(REPLAYED)
            status = 409
        except _NoFilingSlot:
            form.form_errors.append(TOO_MANY)
            status = 429
    else:  # refused for other fields: the contact rule says its part now, not on the next try
        unreachable = contact_problem(channel, _story_and_identity(form)[1])
        if unreachable:
            form.contact_errors.append(str(unreachable))
        if form.form_nonce.errors:  # a hidden field the page always fills: a page not as sent
            form.form_errors.append(REPLAYED)
    uploads = _uploads(form)
    if any(name for name, _stream in uploads):
        config = current_app.config
        # Said now, with the other fields' errors, so a file that would be refused is not attached
        # again only to be refused on the next try.
        refused = quick_refusal(uploads, max_bytes=config["MAX_ATTACHMENT_BYTES"], max_files=config["MAX_ATTACHMENTS"])
        said = [str(refused)] if refused and str(refused) not in form.attachments.errors else []
        form.attachments.errors = [*form.attachments.errors, *said, REATTACH]
    return keep_draft(form, status, utcnow())


def _in_other_language(form: FilingForm, code: str) -> Response:
    """The form again, in language ``code``, with what was typed: the header's language button
    sends the form here, as a link would lose it (nothing is filed or checked; files are not kept)."""
    choose_language(code)
    if any(name for name, _stream in _uploads(form)):
        form.attachments.errors = [REATTACH]
    return keep_draft(form, 200, utcnow())


def refill_form(message: object, status: int) -> Any | None:
    """The filing form this POST came from, shown again with what was typed (never its files)
    and ``message``, for a refusal decided before the view ran (an expired form, too many
    tries); None when the request is not a filing POST. Like the view's own refusals it goes
    by a redirect and a draft (``web.drafts``).

    The forms are ``autocomplete=off``, so going back would not bring the text back. The caller
    makes sure the POST came from this site (its CSRF token is the session's own), so no other
    site can show someone a form filled in with its words.
    """
    page = PAGES.get(request.endpoint or "")
    org = current_org()
    if request.method != "POST" or page is None or org is None:
        return None
    form_cls, channel = page[:2]
    form = _bound_form(form_cls, org, channel)
    form.form_errors.append(message)
    # The limiter's refusal goes by a redirect too: its words would otherwise stay in the POST
    # body of a history entry. It writes a row only within an allowance of its own, so past the
    # limit no row is written per request. A failed filing's message says what was typed is
    # still there: with no draft kept, the caller's error page says the rest.
    return keep_draft(form, status, utcnow(), required=status == 500, past_limit=status == 429)


@bp.route("/general/new", methods=["GET", "POST"])
@limiter.shared_limit(attempt_limit, ATTEMPT_SCOPE, methods=["POST"])
def general_new() -> Any:
    """General complaint or grievance form."""
    return _channel_view(*PAGES["filing.general_new"])


@bp.route("/corruption/new", methods=["GET", "POST"])
@limiter.shared_limit(attempt_limit, ATTEMPT_SCOPE, methods=["POST"])
def corruption_new() -> Any:
    """Corruption and misconduct report: separate URL, form, queue and keys."""
    return _channel_view(*PAGES["filing.corruption_new"])
