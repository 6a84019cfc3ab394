"""The scheduler: jobs on the Bangkok clock, one process of its own, and beside ``complaints serve``."""
from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select

from complaints.models import Case, FormDraft, SpentFormToken
from complaints.scheduler import (
    build_scheduler,
    run_calendar_check,
    run_monthly_statistics,
    run_retention,
    run_sweep,
    run_token_purge,
)
from complaints.workflow import jobs
from complaints.workflow.intake import file_complaint
from complaints.workflow.org_settings import add_day_off
from tests.conftest import NOW


def test_jobs_are_registered_on_bangkok_time(app):
    scheduler = build_scheduler(app, background=False)
    assert isinstance(scheduler, BlockingScheduler)
    assert str(scheduler.timezone) == "Asia/Bangkok"
    jobs_by_id = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs_by_id) == {"sweep", "retention", "token_purge", "orphan_purge", "monthly_statistics",
                               "calendar_check"}
    assert jobs_by_id["token_purge"].trigger.interval.total_seconds() == 15 * 60
    monthly = jobs_by_id["monthly_statistics"].trigger
    assert isinstance(monthly, CronTrigger) and str(monthly.timezone) == "Asia/Bangkok"
    assert "day='1'" in str(monthly)
    assert jobs_by_id["sweep"].trigger.interval.total_seconds() == app.config["SWEEP_MINUTES"] * 60


def test_background_scheduler_runs_the_sweep_at_start(app, session, org):
    with session.begin():
        file_complaint(session, org, "corruption", "tip", "web", {"description": "เบาะแส"}, None, [], NOW)
    session.close()
    scheduler = build_scheduler(app, background=True)
    assert isinstance(scheduler, BackgroundScheduler)
    events = []
    scheduler.add_listener(lambda event: events.append(event))
    scheduler.start()
    try:
        for _ in range(200):
            if any(getattr(e, "job_id", None) == "sweep" for e in events):
                break
            time.sleep(0.05)
    finally:
        scheduler.shutdown(wait=True)
    assert any(getattr(e, "job_id", None) == "sweep" and not getattr(e, "exception", None) for e in events)
    # NOW's case is long overdue by today's date: the sweep flagged it.
    with app.extensions["complaints_store"].sessions() as s:
        assert s.query(Case).one().overdue


def _fail_with_a_row(marker: str) -> None:
    raise ValueError(f"DETAIL: Key (blind_index)=({marker}) already exists")


def test_a_failing_job_is_logged_without_its_message(app, caplog):
    # APScheduler logs a failed job with its exception; a message may quote a row or a file's name.
    scheduler = build_scheduler(app, background=True)
    for job in scheduler.get_jobs():
        job.pause()
    done = []
    scheduler.add_listener(lambda event: done.append(event))
    with caplog.at_level("ERROR"):
        scheduler.add_job(_fail_with_a_row, args=["CANARYJOBROW"], id="failing", next_run_time=datetime.now(timezone.utc))
        scheduler.start()
        try:
            for _ in range(200):
                if any(getattr(e, "job_id", None) == "failing" and getattr(e, "exception", None) for e in done):
                    break
                time.sleep(0.05)
        finally:
            scheduler.shutdown(wait=True)
    assert 'raised an exception' in caplog.text and "_fail_with_a_row" in caplog.text
    assert "builtins.ValueError (message not logged)" in caplog.text and "CANARYJOBROW" not in caplog.text


def test_run_sweep_for_a_given_instant_is_idempotent(app, session, org):
    with session.begin():
        file_complaint(session, org, "general", "complaint", "web", {"description": "ไฟดับ"},
                       {"name": "ก", "phone": "0810000000"}, [], NOW)
    session.close()
    before_due = run_sweep(app, datetime(2025, 4, 24, 1, 0, tzinfo=timezone.utc))
    assert (before_due.newly_overdue, before_due.reminders, before_due.escalations) == (0, 1, 0)
    after_due = run_sweep(app, datetime(2025, 4, 26, 1, 0, tzinfo=timezone.utc))
    assert (after_due.newly_overdue, after_due.escalations) == (1, 1)
    again = run_sweep(app, datetime(2025, 4, 26, 2, 0, tzinfo=timezone.utc))
    assert (again.newly_overdue, again.reminders, again.escalations) == (0, 0, 0)


def test_retention_keeps_everything_without_a_schedule(app, session):
    assert run_retention(app) == 0
    assert jobs.apply_retention(session, NOW, retention_days=None) == 0
    run_monthly_statistics(app)  # the slot exists and runs without error


def test_token_purge_forgets_only_tokens_whose_forms_have_expired(app, session):
    now = datetime.now(timezone.utc)
    with session.begin():
        session.add_all([SpentFormToken(digest=b"old".ljust(32, b"."), expires_at=now - timedelta(minutes=1)),
                         SpentFormToken(digest=b"live".ljust(32, b"."), expires_at=now + timedelta(minutes=50))])
    assert run_token_purge(app) == 1
    assert session.scalars(select(SpentFormToken.digest)).all() == [b"live".ljust(32, b".")]
    session.rollback()


def test_token_purge_also_forgets_drafts_no_browser_came_back_for(app, session):
    now = datetime.now(timezone.utc)
    with session.begin():
        session.add_all([FormDraft(digest=b"old".ljust(32, b"."), sealed=b"x", expires_at=now - timedelta(minutes=1)),
                         FormDraft(digest=b"live".ljust(32, b"."), sealed=b"x", expires_at=now + timedelta(days=1))])
    run_token_purge(app)
    assert session.scalars(select(FormDraft.digest)).all() == [b"live".ljust(32, b".")]
    session.rollback()


def test_a_holiday_table_without_government_days_is_warned_about_where_working_days_count(app, session, org,
                                                                                           caplog):
    # holidays 0.109 has the Royal Ploughing Ceremony and the Cabinet's bridge days for 2026 (B.E.
    # 2569), none for 2027: a working-day office would count those closed days as open.
    december = datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)
    session.rollback()
    assert run_calendar_check(app, december) == []  # calendar days: the table moves nothing
    org.working_days = True
    session.commit()
    with caplog.at_level("WARNING", logger="complaints.scheduler"):
        assert run_calendar_check(app, datetime(2026, 6, 1, 1, 0, tzinfo=timezone.utc)) == []
        assert run_calendar_check(app, december) == [2027]
    assert [r.getMessage() for r in caplog.records if "B.E. 2570" in r.getMessage()]
    assert not [r for r in caplog.records if "B.E. 2569" in r.getMessage()]
    # Once the office adds that year's days off, as the warning asks, it stops.
    with session.begin():
        add_day_off(session, org.id, date(2027, 5, 10), "วันพืชมงคล")
    assert run_calendar_check(app, december) == []
