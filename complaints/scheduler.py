"""APScheduler 3.x wiring: the jobs of ``complaints.workflow.jobs`` on the Asia/Bangkok clock.

``complaints scheduler`` runs a BlockingScheduler in its own process (never inside gunicorn
workers); ``complaints serve`` runs a BackgroundScheduler beside the development server.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from complaints.blobkeeping import QUARANTINE, remove_orphans
from complaints.thaidate import BANGKOK, local_date
from complaints.web.context import get_store
from complaints.web.errorlog import filter_logger
from complaints.workflow import jobs

log = logging.getLogger(__name__)


def run_sweep(app: Flask, now: datetime | None = None) -> jobs.SweepReport:
    """One sweep in its own transaction (also what ``complaints sweep`` calls)."""
    store = get_store(app)
    with store.sessions() as session, session.begin():
        report = jobs.sweep(session, now or datetime.now(timezone.utc),
                            remind_days=app.config["REMIND_DAYS_BEFORE"])
    log.info("sweep %s", report)
    return report


def run_retention(app: Flask) -> int:
    """The retention job (counts only until a records schedule is configured)."""
    store = get_store(app)
    with store.sessions() as session, session.begin():
        return jobs.apply_retention(session, datetime.now(timezone.utc),
                                    retention_days=app.config["RETENTION_DAYS"])


def run_token_purge(app: Flask) -> int:
    """Forget the spent form tokens and the refused forms' drafts that have expired (every
    quarter of an hour); returns how many tokens."""
    store = get_store(app)
    now = datetime.now(timezone.utc)
    with store.sessions() as session, session.begin():
        jobs.forget_expired_drafts(session, now)
        return jobs.forget_spent_form_tokens(session, now)


def run_orphan_purge(app: Flask, now: datetime | None = None) -> int:
    """Move attachment files that no case recorded (a worker killed mid-filing, a commit whose
    outcome was not known) to the quarantine folder, once a day; returns how many."""
    store = get_store(app)
    with store.sessions() as session:
        moved = remove_orphans(session, store.vault.blob_dir, now or datetime.now(timezone.utc))
    if moved:
        log.warning("moved %d attachment files that no case recorded to %s", moved, store.vault.blob_dir / QUARANTINE)
    return moved


def run_calendar_check(app: Flask, now: datetime | None = None) -> list[int]:
    """Warn, once a day, when an organization counts working days and the holiday table for this
    year or the coming weeks has no government days off yet; returns those years (CE)."""
    with get_store(app).sessions() as session:
        missing = jobs.holiday_table_gaps(session, local_date(now or datetime.now(timezone.utc)))
    for year in missing:
        log.warning("the holiday table has no government days off for B.E. %d: working-day due dates in it "
                    "leave out the Cabinet's days off. Add them as the organization's own days off "
                    "('complaints day-off add YYYY-MM-DD NAME'), or "
                    "upgrade 'holidays' after checking its list (pyproject.toml)", year + 543)
    return missing


def run_monthly_statistics(app: Flask) -> None:
    """Slot for the monthly publication on the 1st (Asia/Bangkok); statistics arrive in their own issue."""
    log.info("monthly statistics slot reached; publication is not configured yet")


def build_scheduler(app: Flask, *, background: bool) -> BaseScheduler:
    """A scheduler with the sweep, retention, token-purge, orphan-file, holiday-table and
    monthly-statistics jobs on Bangkok time."""
    # A job that fails is logged by APScheduler with its exception's message, which may quote a
    # row (PostgreSQL's DETAIL) or a file's name: those loggers get the web's message-free form.
    for name in ("apscheduler.executors.default", "apscheduler.scheduler"):
        filter_logger(name)
    cls: Any = BackgroundScheduler if background else BlockingScheduler
    scheduler = cls(timezone=BANGKOK, job_defaults={"coalesce": True, "max_instances": 1,
                                                    "misfire_grace_time": 3600})
    scheduler.add_job(run_sweep, "interval", minutes=app.config["SWEEP_MINUTES"], args=[app], id="sweep",
                      next_run_time=datetime.now(BANGKOK))
    scheduler.add_job(run_retention, "cron", hour=2, minute=30, args=[app], id="retention")
    scheduler.add_job(run_orphan_purge, "cron", hour=2, minute=45, args=[app], id="orphan_purge")
    scheduler.add_job(run_calendar_check, "cron", hour=7, minute=0, args=[app], id="calendar_check",
                      next_run_time=datetime.now(BANGKOK))
    scheduler.add_job(run_token_purge, "interval", minutes=15, args=[app], id="token_purge")
    scheduler.add_job(run_monthly_statistics, "cron", day=1, hour=0, minute=15, args=[app],
                      id="monthly_statistics")
    return scheduler
