"""Scheduled jobs as set-based SQL: the deadline sweep, retention, forgetting spent form tokens,
and the monthly statistics slot.

Each job is idempotent: the overdue flag is set by a guarded UPDATE, and reminders and escalations
are rows with a unique (case, kind, due date) key inserted with ON CONFLICT DO NOTHING, so a job
run twice, or by two schedulers at once, raises each alert exactly once. On PostgreSQL a
transaction-scoped advisory lock lets only one scheduler act at a time.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, and_, delete, func, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from complaints import thaidate
from complaints.models import Case, CaseAlert, FormDraft, Holiday, Organization, SpentFormToken
from complaints.workflow.deadlines import years_without_government_days

SWEEP_LOCK_KEY = 0x636F6D70  # "comp": one advisory lock id for the sweep across all processes
# A warning day this far back still raises its reminder: the sweep runs daily, so this only
# covers days the scheduler was down. A due date it no longer covers is still in the window.
WARN_CATCH_UP_DAYS = 7


@dataclass(frozen=True)
class SweepReport:
    """What one sweep changed; ``skipped`` when another scheduler held the lock."""

    today: date
    newly_overdue: int = 0
    cleared: int = 0
    reminders: int = 0
    escalations: int = 0
    skipped: bool = False


def _rowcount(result: Any) -> int:
    # DML results are CursorResults; their rowcount is the number of rows the statement changed.
    return int(cast(CursorResult[Any], result).rowcount or 0)


def _leader(session: Session) -> bool:
    if session.get_bind().dialect.name != "postgresql":
        return True  # SQLite: one process, and BEGIN IMMEDIATE already serializes writers
    # Keyed by schema too: deployments sharing one database must not block each other.
    return bool(session.scalar(select(func.pg_try_advisory_xact_lock(
        SWEEP_LOCK_KEY, func.hashtext(func.current_schema())))))


def _insert_alerts(session: Session, kind: str, due_col, condition, now: datetime) -> int:  # type: ignore[no-untyped-def]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    chosen = select(Case.id, literal(kind), due_col, literal(now, type_=CaseAlert.created_at.type)).where(condition)
    stmt = insert(CaseAlert).from_select(["case_id", "kind", "due", "created_at"], chosen)
    # RETURNING counts what was really inserted; rowcount is -1 for INSERT … SELECT on pysqlite.
    return len(session.execute(stmt.on_conflict_do_nothing().returning(CaseAlert.id)).all())


def sweep(session: Session, now: datetime, *, remind_days: int = 2) -> SweepReport:
    """Mark overdue cases and raise reminders and escalations, in the caller's transaction.

    A case is overdue once the Bangkok date is past its notice due date. The assignee is reminded
    from the case's warning day (the last working day on or before the due date, stored at filing
    and at each notice) or when the due date is within ``remind_days``, whichever comes first;
    supervisors are escalated to at the breach.
    """
    today = thaidate.local_date(now)
    if not _leader(session):
        return SweepReport(today=today, skipped=True)
    is_open = Case.state != "closed"
    breached = and_(is_open, Case.next_notice_due < today)
    newly = _rowcount(session.execute(
        update(Case).where(breached, Case.overdue.is_(False)).values(overdue=True, escalated=True)
        .execution_options(synchronize_session=False)
    ))
    # Keeps the flag honest if a due date moved forward by other means than a notice.
    not_breached = or_(Case.state == "closed", Case.next_notice_due.is_(None), Case.next_notice_due >= today)
    cleared = _rowcount(session.execute(
        update(Case).where(Case.overdue.is_(True), not_breached).values(overdue=False)
        .execution_options(synchronize_session=False)
    ))
    soon = and_(is_open, Case.next_notice_due >= today, Case.next_notice_due <= today + timedelta(days=remind_days))
    reminders = _insert_alerts(session, "reminder", Case.next_notice_due, soon, now)
    # The warning day matters when the last days before the due date are days off: a day 15 on
    # Songkran Tuesday is warned on the Friday before, which the window above misses. A separate,
    # bounded range keeps both on an index; the unique alert row makes a case reminded once.
    warned = and_(is_open, Case.warn_on.between(today - timedelta(days=WARN_CATCH_UP_DAYS), today),
                  Case.next_notice_due >= today)
    reminders += _insert_alerts(session, "reminder", Case.next_notice_due, warned, now)
    escalations = _insert_alerts(session, "escalation", Case.next_notice_due, breached, now)
    referral_late = and_(is_open, Case.referral_due < today)
    referral_soon = and_(is_open, Case.referral_due >= today,
                         Case.referral_due <= today + timedelta(days=remind_days))
    reminders += _insert_alerts(session, "referral_reminder", Case.referral_due, referral_soon, now)
    escalations += _insert_alerts(session, "referral_escalation", Case.referral_due, referral_late, now)
    return SweepReport(today, newly, cleared, reminders, escalations)


def forget_spent_form_tokens(session: Session, now: datetime) -> int:
    """Delete the spent form tokens whose forms could no longer be filed anyway; returns how many.

    They exist only to refuse a replay while the form's CSRF token is valid, and a token kept
    longer would only link a browser that kept the form page to the time it filed.
    """
    return _rowcount(session.execute(delete(SpentFormToken).where(SpentFormToken.expires_at < now)))


def forget_expired_drafts(session: Session, now: datetime) -> int:
    """Delete the refused forms' drafts no browser came back for; returns how many.

    They are ciphertext whose key was in a cookie of minutes; past their day nothing can open them.
    """
    return _rowcount(session.execute(delete(FormDraft).where(FormDraft.expires_at < now)))


def holiday_table_gaps(session: Session, today: date) -> list[int]:
    """The years (CE) whose holiday table has no government days off yet, soon enough to move
    a due date, for some organization that counts working days and has added no day off of its
    own in that year (as the warning asks it to); none when all count calendar days."""
    counting = set(session.scalars(select(Organization.id).where(Organization.working_days.is_(True))))
    gaps = []
    for year in years_without_government_days(today) if counting else []:
        added = session.scalars(select(Holiday.org_id).where(
            Holiday.org_id.in_(counting), Holiday.kind == "day_off",
            Holiday.day.between(date(year, 1, 1), date(year, 12, 31))))
        if counting - set(added):
            gaps.append(year)
    return gaps


def apply_retention(session: Session, now: datetime, *, retention_days: int | None) -> int:
    """Retention hook: with no retention period configured it deletes nothing (returns 0).

    Purging or anonymizing closed cases needs the organization's records schedule (PDPA s.37(3));
    until one is configured the safe default is to keep everything.
    """
    if retention_days is None:
        return 0
    cutoff = now - timedelta(days=retention_days)
    # Counted, not deleted yet: deletion arrives with the retention schedule's own issue.
    return int(session.scalar(select(func.count()).select_from(Case).where(
        Case.state == "closed", Case.closed_at < cutoff)) or 0)
