"""The 15-day clock (APA s.64 counting, DESIGN.md §5).

The receipt day is not counted; day N is the last day and does not move for a weekend or
holiday, because the duty is the organization's. The console warns from the last working day on
or before it. Working-day mode (an organization setting) counts Mon–Fri minus Thai public and
government holidays and the organization's own days off.

National Labour Day (1 May) is in the package's PUBLIC category but is not a day off for
government offices: the package itself notes it is "only observed by financial and private
sectors". Counting it would publish a due date a day later than the office's duty allows, so it is
left out, with its in-lieu day.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Protocol

import holidays
from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.models import Holiday

# PUBLIC and GOVERNMENT are days off; WORKDAY holds observances that are *not* days off.
HOLIDAY_CATEGORIES = ("public", "government")
# Days in PUBLIC that government offices work (English names, as the package gives them in en_US).
NOT_GOVERNMENT_DAYS_OFF = ("National Labor Day", "National Labor Day (in lieu)")


@lru_cache(maxsize=64)
def _national_days_off(year: int) -> frozenset[date]:
    table = holidays.country_holidays("TH", years=year, categories=HOLIDAY_CATEGORIES, language="en_US")
    # A date stays a day off if any of its holidays is one (Labour Day may share a date).
    return frozenset(day for day in table if any(name not in NOT_GOVERNMENT_DAYS_OFF
                                                 for name in table.get_list(day)))


def years_without_government_days(today: date, horizon_days: int = 45) -> list[int]:
    """The years (CE) from ``today`` to ``horizon_days`` ahead whose national table has no
    government day off.

    Every reviewed year has some (the Royal Ploughing Ceremony, the Cabinet's bridge days); a
    year without one is a table the package has not been given yet, so working-day due dates in
    it leave out days the offices will be closed. The horizon covers the 15 working days of a
    notice filed today.
    """
    years = range(today.year, (today + timedelta(days=horizon_days)).year + 1)
    return [year for year in years
            if not holidays.country_holidays("TH", years=year, categories=("government",))]


class ClockSettings(Protocol):
    """An organization's time frames as the clock reads them: the ORM ``Organization`` or a
    snapshot of it (``complaints.web.orgcache``)."""

    @property
    def id(self) -> int: ...  # noqa: D102 - a protocol member

    @property
    def notice_days(self) -> int: ...  # noqa: D102

    @property
    def progress_days(self) -> int: ...  # noqa: D102

    @property
    def working_days(self) -> bool: ...  # noqa: D102


@dataclass(frozen=True)
class WorkCalendar:
    """Working days of one organization: national calendar plus its own overrides."""

    extra_days_off: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        """Mon–Fri, not a national or local day off, unless the organization works that day."""
        if day in self.extra_working_days:
            return True
        if day.weekday() >= 5 or day in self.extra_days_off:
            return False
        return day not in _national_days_off(day.year)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself is not counted)."""
        day = start
        while n > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def last_working_day_on_or_before(self, day: date) -> date:
        """The day the console starts warning for a due date."""
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day


@dataclass(frozen=True)
class Deadline:
    """A notice obligation: the last day to send it and the day warnings start."""

    due: date
    warn_on: date


def notice_deadline(start: date, days: int, *, working_days: bool, calendar: WorkCalendar) -> Deadline:
    """Due date of a notice counted from ``start`` (receipt day, or the day of the last notice)."""
    if days < 1:
        raise ValueError("a notice period is at least one day")
    due = calendar.add_working_days(start, days) if working_days else start + timedelta(days=days)
    return Deadline(due=due, warn_on=calendar.last_working_day_on_or_before(due))


def calendar_for(session: Session, org_id: int) -> WorkCalendar:
    """The organization's calendar from its ``Holiday`` rows."""
    rows = session.execute(select(Holiday.day, Holiday.kind).where(Holiday.org_id == org_id)).all()
    return WorkCalendar(
        extra_days_off=frozenset(r.day for r in rows if r.kind == "day_off"),
        extra_working_days=frozenset(r.day for r in rows if r.kind == "working_day"),
    )
