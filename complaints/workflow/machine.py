"""The state machine: ``apply`` checks an action against the transition table and performs it.

Everything an action changes (state, fields, notice, obligations, audit event) is written in the
caller's transaction, so either all of it happens or none of it does.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from complaints import codes
from complaints.models import Case, CaseEvent, Unit
from complaints.store import vault_of
from complaints.workflow.history import Actor, record_event
from complaints.workflow.notices import send_notice, write_message
from complaints.workflow.states import (
    BY_ACTION,
    CHANNEL_ROLES,
    FORWARDING_AGENCIES,
    NOT_ACCEPTED_REASONS,
    OUTCOMES,
)

# Free text is sealed into the event note; only these short codes are kept in clear.
CLEAR_FIELDS = ("unit_id", "agency", "letter_no", "letter_date", "reason", "outcome", "order_ref", "no_contact")


class WorkflowError(Exception):
    """Base of the typed errors ``apply`` raises; nothing has been written when one is raised."""


class UnknownAction(WorkflowError):
    """The action is not in the transition table."""


class IllegalTransition(WorkflowError):
    """The action is not allowed from the case's state or in its channel."""


class NotPermitted(WorkflowError):
    """The actor holds none of the roles the action needs."""


class MissingFields(WorkflowError):
    """A required field is empty."""


class InvalidField(WorkflowError):
    """A field has a value outside its list (reason, agency, outcome, unit)."""


class CloseWithoutResult(WorkflowError):
    """Closing needs a result notice or a recorded "no way to reach the complainant"."""


def _held(actor: Actor) -> frozenset[str]:
    return frozenset({"complainant"}) if actor.kind == "complainant" else actor.roles


def _check(session: Session, case: Case, action: str, actor: Actor, fields: dict[str, Any]) -> None:
    rule = BY_ACTION.get(action)
    if rule is None:
        raise UnknownAction(action)
    if case.channel not in rule.channels or case.state not in rule.sources:
        raise IllegalTransition(f"{action} is not allowed for a {case.channel} case in state {case.state}")
    allowed = rule.roles & CHANNEL_ROLES[case.channel]
    if actor.kind == "system" or not _held(actor) & allowed:
        raise NotPermitted(f"{action} on a {case.channel} case needs one of {sorted(allowed)}")
    missing = [name for name in rule.required if fields.get(name) in (None, "")]
    if missing:
        raise MissingFields(", ".join(missing))
    if action == "not_accept" and fields["reason"] not in NOT_ACCEPTED_REASONS:
        raise InvalidField(f"reason {fields['reason']!r}")
    if action == "forward":
        if fields["agency"] not in FORWARDING_AGENCIES:
            raise InvalidField(f"agency {fields['agency']!r}")
        if not isinstance(fields["letter_date"], date):
            raise InvalidField("letter_date must be a date")
    if action == "resolve" and fields["outcome"] not in OUTCOMES[case.channel]:
        raise InvalidField(f"outcome {fields['outcome']!r}")
    if "unit_id" in rule.required:
        unit = session.get(Unit, fields["unit_id"])
        if unit is None or unit.org_id != case.org_id:
            raise InvalidField("unit_id")
    if action == "close" and case.result_notice_at is None and not fields.get("no_contact"):
        raise CloseWithoutResult("send the result notice first, or record no_contact=True")


def _reclassify(session: Session, case: Case) -> dict[str, Any]:
    """General → corruption: corruption keys, a corruption number, the legal queue."""
    before = case.case_number
    # Number first, while the case is still general: no flush (an autoflush from any query) may
    # ever write a corruption case that still holds its old general number.
    number = codes.next_case_number(session, case.org_id, "corruption", case.fiscal_year)
    vault_of(session).move_channel(case, "corruption")
    case.number = number
    case.kind = "complaint" if case.kind == "grievance" else case.kind
    case.category_id = case.unit_id = case.assignee_id = None
    return {"from_number": before, "to_number": case.case_number}


def apply(session: Session, case: Case, action: str, actor: Actor, now: datetime, **fields: Any) -> CaseEvent:
    """Perform ``action`` on ``case``; raise a ``WorkflowError`` subclass if it is not allowed."""
    _check(session, case, action, actor, fields)
    rule = BY_ACTION[action]
    from_state = case.state
    detail = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in fields.items()
              if k in CLEAR_FIELDS and v not in (None, "")}
    target = rule.target or case.state
    if action == "ask":
        case.resume_state = from_state
    elif action == "answer":
        target, case.resume_state = case.resume_state or "received", None
        write_message(session, case, "reply", actor, now, str(fields["message"]))
    elif action in ("accept", "assign"):
        case.unit_id = fields["unit_id"]
    elif action == "resolve":
        case.outcome = fields["outcome"]
    elif action == "not_accept":
        case.outcome = fields["reason"]
    elif action == "reclassify":
        detail.update(_reclassify(session, case))
    if rule.notice:
        send_notice(session, case, rule.notice, actor, now, str(fields.get("message") or ""))
    case.state = target
    if target == "closed":
        case.closed_at, case.next_notice_due, case.warn_on = now, None, None
        case.overdue = False
        case.no_contact = bool(fields.get("no_contact")) or case.no_contact
    vault = vault_of(session)
    note = fields.get("note") or (fields.get("message") if action != "answer" else None)
    event = record_event(
        session, case, audit_key=vault.keyring.audit_key, action=action, actor=actor, now=now,
        from_state=from_state, to_state=target, detail=detail,
        note_ct=vault.seal_text(case, "event-note", case.event_count + 1, str(note)) if note else None,
    )
    session.flush()
    return event


def allowed_actions(case: Case, actor: Actor) -> list[str]:
    """The actions ``actor`` may take on ``case`` now (for the console's buttons)."""
    return [a for a, r in BY_ACTION.items()
            if case.channel in r.channels and case.state in r.sources
            and _held(actor) & r.roles & CHANNEL_ROLES[case.channel]]

