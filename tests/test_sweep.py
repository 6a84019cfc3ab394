"""The deadline sweep at scale: exact counts, idempotence, moved due dates, the referral clock,
two schedulers at once, the PostgreSQL advisory lock, and ``complaints sweep``.

Cases are seeded by one set-based INSERT … SELECT (``bench.sweep.seed_cases``); the expected counts
come from the same due-date formula evaluated in Python (``bench.sweep.expected``).
"""
from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text, update

import complaints.cli
from bench.sweep import NOW, TODAY, expected, seed_cases
from complaints.models import Case, CaseAlert
from complaints.workflow import jobs
from tests.concurrency import run_in_threads

N = 2_000
BIG = 100_000
only_postgresql = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


def count(session, *where, of=Case, what=None) -> int:  # type: ignore[no-untyped-def]
    """``what`` (default: rows) over the table of ``of`` matching ``where``; ends the read transaction."""
    found = session.scalar(select(func.count() if what is None else what).select_from(of).where(*where)) or 0
    session.commit()  # SQLite takes the write lock at BEGIN, even for a read
    return int(found)


def alerts(session, kind: str, *where) -> int:  # type: ignore[no-untyped-def]
    return count(session, CaseAlert.kind == kind, *where, of=CaseAlert)


def alert_cases(session, kind: str) -> int:  # type: ignore[no-untyped-def]
    """Distinct cases holding an alert of ``kind``: equals ``alerts`` when there is one per case."""
    return count(session, CaseAlert.kind == kind, of=CaseAlert, what=func.count(func.distinct(CaseAlert.case_id)))


def sweep(session, now=NOW):  # type: ignore[no-untyped-def]
    with session.begin():
        return jobs.sweep(session, now)


def closed_touched(session) -> int:  # type: ignore[no-untyped-def]
    flagged = count(session, Case.state == "closed", Case.overdue.is_(True) | Case.escalated.is_(True))
    alerted = session.scalar(select(func.count()).select_from(CaseAlert).join(Case, Case.id == CaseAlert.case_id)
                             .where(Case.state == "closed"))
    session.commit()
    return flagged + alerted


def test_one_sweep_marks_exactly_the_expected_cases_and_a_second_changes_nothing(session, org, engine):
    seed_cases(engine, org.id, N)
    exp = expected(N, TODAY)
    assert exp["overdue"] and exp["soon"] and exp["later"] and exp["closed"]
    # Some closed cases keep a past due date: only the open-state guard spares them.
    with session.begin():
        session.execute(update(Case).where(Case.state == "closed", Case.number <= 300)
                        .values(next_notice_due=TODAY - timedelta(days=5)))

    report = sweep(session)
    assert (report.newly_overdue, report.cleared, report.reminders, report.escalations, report.skipped) == (
        exp["overdue"], 0, exp["soon"], exp["overdue"], False)
    assert count(session, Case.overdue.is_(True)) == exp["overdue"]
    assert count(session, Case.escalated.is_(True)) == exp["overdue"]
    assert count(session, Case.overdue.is_(True), Case.next_notice_due >= TODAY) == 0
    assert alerts(session, "reminder") == alert_cases(session, "reminder") == exp["soon"]
    assert alerts(session, "escalation") == alert_cases(session, "escalation") == exp["overdue"]
    assert alerts(session, "reminder", CaseAlert.due < TODAY) == alerts(session, "escalation", CaseAlert.due >= TODAY) == 0
    assert closed_touched(session) == 0

    again = sweep(session, NOW + timedelta(hours=3))
    assert (again.newly_overdue, again.cleared, again.reminders, again.escalations) == (0, 0, 0, 0)
    assert count(session, Case.overdue.is_(True)) == exp["overdue"]
    assert (alerts(session, "reminder"), alerts(session, "escalation")) == (exp["soon"], exp["overdue"])
    assert closed_touched(session) == 0


def test_a_later_day_escalates_only_the_newly_breached(session, org, engine):
    seed_cases(engine, org.id, N)
    first, later = expected(N, TODAY), expected(N, TODAY + timedelta(days=5))
    sweep(session)
    report = sweep(session, NOW + timedelta(days=5))
    newly = later["overdue"] - first["overdue"]
    assert newly > 0
    assert (report.newly_overdue, report.escalations, report.reminders, report.cleared) == (
        newly, newly, later["soon"], 0)
    assert count(session, Case.overdue.is_(True)) == later["overdue"]
    assert alerts(session, "escalation") == alert_cases(session, "escalation") == later["overdue"]
    assert alerts(session, "reminder") == first["soon"] + later["soon"]
    assert closed_touched(session) == 0


def test_moved_due_date_clears_overdue_and_the_referral_clock_escalates_once(session, org, engine):
    seed_cases(engine, org.id, N)
    sweep(session)
    late = session.scalar(select(Case.id).where(Case.overdue.is_(True)).order_by(Case.number).limit(1))
    calm = session.scalars(select(Case.id).where(Case.state != "closed", Case.next_notice_due > TODAY + timedelta(days=10))
                           .order_by(Case.number).limit(2)).all()
    session.commit()
    with session.begin():
        session.execute(update(Case).where(Case.id == late).values(next_notice_due=TODAY + timedelta(days=10),
                                                                        warn_on=TODAY + timedelta(days=10)))
        session.execute(update(Case).where(Case.id == calm[0]).values(referral_due=TODAY - timedelta(days=3)))
        session.execute(update(Case).where(Case.id == calm[1]).values(referral_due=TODAY + timedelta(days=1)))

    report = sweep(session, NOW + timedelta(hours=1))
    assert (report.newly_overdue, report.cleared, report.reminders, report.escalations) == (0, 1, 1, 1)
    assert count(session, Case.id == late, Case.overdue.is_(False)) == 1
    assert count(session, CaseAlert.kind == "referral_escalation", CaseAlert.case_id == calm[0],
                 CaseAlert.due == TODAY - timedelta(days=3), of=CaseAlert) == 1
    assert alerts(session, "referral_escalation") == alerts(session, "referral_reminder") == 1
    again = sweep(session, NOW + timedelta(hours=2))
    assert (again.newly_overdue, again.cleared, again.reminders, again.escalations) == (0, 0, 0, 0)
    assert alerts(session, "referral_escalation") == 1


@pytest.mark.postgres
@only_postgresql
def test_big_sweep_and_two_schedulers_at_once(store, session, org, engine):
    seed_cases(engine, org.id, BIG)
    first = expected(BIG, TODAY)
    report = sweep(session)
    assert report.newly_overdue == report.escalations == first["overdue"]
    assert count(session, Case.overdue.is_(True)) == first["overdue"]

    # A later day, so the two concurrent sweeps have real work: new breaches and new reminders.
    day = NOW + timedelta(days=7)
    later = expected(BIG, TODAY + timedelta(days=7))
    barrier, reports, errors = threading.Barrier(2), [], []

    def scheduler() -> None:
        try:
            with store.sessions() as s, s.begin():
                s.connection()
                barrier.wait(timeout=30)
                reports.append(jobs.sweep(s, day))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    run_in_threads(scheduler, 2, timeout=120)
    assert errors == [] and len(reports) == 2
    ran = [r for r in reports if not r.skipped]
    assert ran  # at most one was turned away by the advisory lock
    assert sum(r.newly_overdue for r in ran) == sum(r.escalations for r in ran) == later["overdue"] - first["overdue"]
    assert sum(r.reminders for r in ran) == later["soon"]
    assert count(session, Case.overdue.is_(True)) == later["overdue"]
    assert alerts(session, "escalation") == alert_cases(session, "escalation") == later["overdue"]
    assert alerts(session, "reminder") == alert_cases(session, "reminder") == first["soon"] + later["soon"]
    assert closed_touched(session) == 0


@pytest.mark.postgres
@only_postgresql
def test_advisory_lock_turns_a_second_sweep_away_until_the_first_commits(store, org, engine):
    seed_cases(engine, org.id, N)
    exp = expected(N, TODAY)
    with store.sessions() as a, store.sessions() as b:
        with a.begin():
            held = jobs.sweep(a, NOW)
            with b.begin():  # without the lock B would wait on A's row locks: fail instead of hanging
                b.execute(text("SET LOCAL lock_timeout = '5s'"))
                turned_away = jobs.sweep(b, NOW)
            assert not held.skipped and held.newly_overdue == exp["overdue"]
            assert turned_away.skipped and turned_away.newly_overdue == turned_away.escalations == 0
        after = sweep(b)
        assert not after.skipped
        assert (after.newly_overdue, after.reminders, after.escalations) == (0, 0, 0)
        assert count(b, Case.overdue.is_(True)) == exp["overdue"]


def test_cli_sweep_prints_the_counts_and_refuses_a_naive_time(app, session, org, engine, db_url):
    seed_cases(engine, org.id, N)
    exp = expected(N, TODAY)
    session.close()
    engine.dispose()  # no pooled SQLite connection left around while the CLI writes
    env = {"COMPLAINTS_INSTANCE_PATH": app.instance_path, "COMPLAINTS_DATABASE_URL": db_url}
    runner = CliRunner()
    result = runner.invoke(complaints.cli.main, ["sweep", "--now", "2025-05-01T08:00:00+07:00"], env=env)
    assert result.exit_code == 0, result.output
    assert (f"sweep for 2025-05-01: {exp['overdue']} newly overdue, 0 cleared, {exp['soon']} reminders, "
            f"{exp['overdue']} escalations") in result.output
    assert count(session, Case.overdue.is_(True)) == exp["overdue"]
    session.close()
    naive = runner.invoke(complaints.cli.main, ["sweep", "--now", "2025-05-01T08:00:00"], env=env)
    assert naive.exit_code != 0
    assert "time zone" in naive.output


def test_cli_sweep_for_a_later_day_needs_future_because_it_escalates_for_real(app, session, org, engine, db_url):
    # Before, a trial "sweep --now <next month>" escalated every case for good on live data.
    seed_cases(engine, org.id, N)
    session.close()
    engine.dispose()
    env = {"COMPLAINTS_INSTANCE_PATH": app.instance_path, "COMPLAINTS_DATABASE_URL": db_url}
    later = (datetime.now(timezone.utc) + timedelta(days=400)).isoformat()
    refused = CliRunner().invoke(complaints.cli.main, ["sweep", "--now", later], env=env)
    assert refused.exit_code != 0 and "pass --future" in refused.output
    assert count(session, Case.escalated.is_(True)) == 0
    session.close()
    done = CliRunner().invoke(complaints.cli.main, ["sweep", "--now", later, "--future"], env=env)
    assert done.exit_code == 0 and count(session, Case.escalated.is_(True)) > 0


def test_reminder_starts_on_the_warning_day_when_the_days_before_the_due_date_are_off(session, org):
    # Filed Mon 30 Mar 2026: day 15 is Tue 14 Apr (Songkran), after a weekend and Mon 13 Apr off,
    # so the warning day is Fri 10 Apr, four days ahead, beyond the 2-day window.
    from complaints.workflow.intake import file_complaint

    filed = datetime(2026, 3, 30, 3, 0, tzinfo=timezone.utc)
    with session.begin():
        case = file_complaint(session, org, "general", "complaint", "web", {"description": "ถนนชำรุด"},
                              {"name": "สมชาย ใจดี", "phone": "0810000000"}, [], filed).case
        case_id, due, warn_on = case.id, case.next_notice_due, case.warn_on
    assert (due, warn_on) == (date(2026, 4, 14), date(2026, 4, 10))
    thursday, friday = (datetime(2026, 4, day, 1, 0, tzinfo=timezone.utc) for day in (9, 10))  # 08:00 Bangkok
    assert sweep(session, thursday).reminders == 0
    assert sweep(session, friday).reminders == 1
    assert count(session, CaseAlert.case_id == case_id, CaseAlert.kind == "reminder", CaseAlert.due == due,
                 of=CaseAlert) == 1
    assert sweep(session, friday + timedelta(days=2)).reminders == 0  # one reminder per due date
