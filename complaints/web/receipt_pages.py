"""The receipt after a filing (DESIGN.md §4): shown once with the tracking code, and offered once
as a PDF right after; a reload shows only that it was already shown."""
from __future__ import annotations

import hmac
import secrets
from datetime import date, datetime
from typing import Any

from flask import Blueprint, current_app, render_template, request, session
from werkzeug.wrappers import Response

from complaints import thaidate
from complaints.web.limits import limiter
from complaints.web.orgcache import OrgSnapshot
from complaints.web.padding import padded_pdf
from complaints.web.pdf import html_to_pdf, pdf_available
from complaints.web.public import SAVED_WITHOUT_RECEIPT, current_org, reason_page
from complaints.web.receipts import PDF_SLOT, PDF_TTL, put_receipt, take_receipt, utcnow
from complaints.web.refusal_marks import take_mark
from complaints.web.security import NO_STORE
from complaints.workflow.intake_rules import keeps_time_of_day

bp = Blueprint("receipt", __name__)


@bp.get("/receipt")
def page() -> Any:
    """The receipt, shown once with the tracking code; a reload shows that it was already shown.

    The page may offer one PDF download of the same receipt, for ``PDF_TTL``, to whoever holds
    the token printed in this page's form; leaving the page withdraws the offer.
    """
    now = utcnow()
    org = current_org()  # before the receipt is taken: a failure here leaves it for a reload
    marked = take_mark(now) if request.method != "HEAD" else None
    if marked is not None and marked["reason"] in SAVED_WITHOUT_RECEIPT:
        # A filing saved though no receipt could be sealed for it (web.public): a receipt still
        # in the cookie is an earlier filing's, left for a reload rather than shown as this one's.
        return reason_page(marked["reason"])
    data = take_receipt(now)
    if data is None:
        return render_template("receipt_gone.html", org=org), 410, NO_STORE
    if request.method == "HEAD":  # a probe: the code stays for the GET, and no PDF is offered to it
        return "", 200, NO_STORE
    # No PDF of a receipt whose filing is not confirmed: a paper copy would outlive the warning.
    pdf_token = secrets.token_urlsafe(16) if pdf_available() and not data.get("unconfirmed") else None
    if pdf_token:
        kept = {k: v for k, v in data.items() if k != "expires"}
        put_receipt({**kept, "pdf_token": pdf_token}, now, slot=PDF_SLOT, ttl=PDF_TTL)
    response = render_template("receipt.html", pdf_token=pdf_token, pdf_minutes=PDF_TTL.seconds // 60,
                               **_receipt_context(data, org))
    return response, 200, NO_STORE


@bp.post("/receipt.pdf")
@limiter.limit(lambda: str(current_app.config["RECEIPT_PDF_RATE_LIMIT"]))
def pdf() -> Any:
    """The receipt as a PDF, once, right after the receipt page; the code is in the body only."""
    data = take_receipt(utcnow(), slot=PDF_SLOT)
    token = request.form.get("pdf_token", "")
    if data is None or not hmac.compare_digest(token.encode(), str(data.get("pdf_token", "")).encode()):
        return render_template("receipt_gone.html", org=current_org(), pdf_lapsed=True), 410, NO_STORE
    # Padded as the pages are: the two channels' receipts differ in length by their texts.
    html = render_template("receipt_pdf.html", **_receipt_context(data, current_org()))
    document = padded_pdf(html_to_pdf(html), int(current_app.config["PAD_PAGES_TO"]))
    return Response(document, mimetype="application/pdf", headers={
        **NO_STORE,
        # A fixed name: the code must not reach the browser's download list or history.
        "Content-Disposition": 'attachment; filename="receipt.pdf"',
    })


@bp.before_app_request
def _withdraw_pdf_offer() -> None:
    # Any other page (not the receipt's own stylesheet) ends the offer, so whoever uses the
    # browser next cannot fetch the code with it. A HEAD request leaves nothing (web.receipts).
    if (request.endpoint not in ("receipt.pdf", "static") and request.method != "HEAD"
            and PDF_SLOT in session):
        session.pop(PDF_SLOT)


def _receipt_context(data: dict[str, Any], org: OrgSnapshot | None) -> dict[str, Any]:
    return {"org": org, "code": data["code"], "channel": data["channel"],
            "received": thaidate.to_bangkok(datetime.fromisoformat(data["received_at"])),
            "received_time_kept": keeps_time_of_day(data["channel"]),
            "due": date.fromisoformat(data["due"]), "unconfirmed": bool(data.get("unconfirmed"))}
