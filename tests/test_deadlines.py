"""The notice clock (APA s.64 counting): unit rules, then through filing on both databases.

Thai days off used below (holidays 0.109, TH, categories public+government, 2025):
Songkran Mon 14, Tue 15, Wed 16 Apr (16 = in lieu of Sun 13); Coronation Day in lieu Mon 5 May; Royal Ploughing Ceremony Fri 9 May (government);
Visakha Bucha in lieu Mon 12 May. No day off falls in September or 1-16 October 2025.
Labour Day (Thu 1 May) is in the package's PUBLIC category but government offices work it.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import holidays
import pytest

from complaints.models import Case, Holiday
from complaints.workflow.deadlines import WorkCalendar, notice_deadline
from complaints.workflow.intake import file_complaint
from tests.conftest import NOW

D = date
PLAIN = WorkCalendar()


# --- unit level: notice_deadline and WorkCalendar -------------------------------------------

@pytest.mark.parametrize("received,due,warn_on", [
    # receipt day not counted: Thu 10 Apr + 15 = Fri 25 Apr, a working day, so warn that day
    (D(2025, 4, 10), D(2025, 4, 25), D(2025, 4, 25)),
    # received Mon 14 Apr (Songkran): calendar days still run through the holidays
    (D(2025, 4, 14), D(2025, 4, 29), D(2025, 4, 29)),
    # day 15 is Sun 16 Mar: the due day stays Sunday, the warning goes back to Fri 14 Mar
    (D(2025, 3, 1), D(2025, 3, 16), D(2025, 3, 14)),
    # day 15 is Wed 16 Apr (Songkran in lieu): stays; warning skips 14-16 Apr and the weekend
    (D(2025, 4, 1), D(2025, 4, 16), D(2025, 4, 11)),
    # day 15 is Mon 5 May (Coronation in lieu): warning skips the weekend back to Fri 2 May
    (D(2025, 4, 20), D(2025, 5, 5), D(2025, 5, 2)),
    # day 15 is Sun 3 May 2026 after Labour Day Fri 1 May: offices work 1 May, so warn then
    (D(2026, 4, 18), D(2026, 5, 3), D(2026, 5, 1)),
])
def test_calendar_mode_due_day_does_not_move_and_warning_is_last_working_day(received, due, warn_on):
    deadline = notice_deadline(received, 15, working_days=False, calendar=PLAIN)
    assert (deadline.due, deadline.warn_on) == (due, warn_on)
    assert PLAIN.is_working_day(deadline.warn_on)


@pytest.mark.parametrize("received,calendar,due", [
    # 15 working days from Thu 10 Apr: skips Songkran 14-16 Apr and 5 May, counts 1 May -> Wed 7 May
    (D(2025, 4, 10), PLAIN, D(2025, 5, 7)),
    # Mon 1 Sep + 15 working days = Mon 22 Sep (no holidays in September)
    (D(2025, 9, 1), PLAIN, D(2025, 9, 22)),
    # an organization day off on Wed 10 Sep pushes it by one day
    (D(2025, 9, 1), WorkCalendar(extra_days_off=frozenset({D(2025, 9, 10)})), D(2025, 9, 23)),
    # an organization day off outside the window changes nothing
    (D(2025, 9, 1), WorkCalendar(extra_days_off=frozenset({D(2025, 9, 24)})), D(2025, 9, 22)),
    # working Tue 15 Apr (Songkran) cancels that holiday: one day earlier, Tue 6 May
    (D(2025, 4, 10), WorkCalendar(extra_working_days=frozenset({D(2025, 4, 15)})), D(2025, 5, 6)),
    # an office that does close on Labour Day says so with its own day off: one day later again
    (D(2025, 4, 10), WorkCalendar(extra_days_off=frozenset({D(2025, 5, 1)})), D(2025, 5, 8)),
])
def test_working_day_mode(received, calendar, due):
    assert notice_deadline(received, 15, working_days=True, calendar=calendar).due == due


def test_extra_days_off_and_working_days_override_the_national_calendar():
    assert not WorkCalendar(extra_days_off=frozenset({D(2025, 9, 10)})).is_working_day(D(2025, 9, 10))
    assert PLAIN.is_working_day(D(2025, 9, 10))
    assert not PLAIN.is_working_day(D(2025, 4, 15))
    assert WorkCalendar(extra_working_days=frozenset({D(2025, 4, 15)})).is_working_day(D(2025, 4, 15))


# The days off of 2569 (2026) as reviewed for holidays 0.109 (rules.md R33). When a new release or
# the Cabinet's special holidays change them, this fails until someone reviews and updates it.
REVIEWED_DAYS_OFF_2026 = frozenset(D(2026, m, d) for m, d in [
    (1, 1), (1, 2), (1, 10), (3, 3), (4, 6), (4, 13), (4, 14), (4, 15), (5, 4), (5, 13), (5, 31),
    (6, 1), (6, 3), (7, 28), (7, 29), (7, 30), (8, 12), (10, 13), (10, 23), (12, 5), (12, 7), (12, 10),
    (12, 31),
])


def test_the_national_days_off_are_the_reviewed_ones():
    year = (D(2026, 1, 1) + timedelta(days=n) for n in range(365))
    weekdays_off = {day for day in year if day.weekday() < 5 and not PLAIN.is_working_day(day)}
    assert weekdays_off == {day for day in REVIEWED_DAYS_OFF_2026 if day.weekday() < 5}


@pytest.mark.parametrize("day", [D(2025, 5, 1), D(2026, 5, 1), D(2027, 5, 3)])
def test_labour_day_and_its_day_in_lieu_are_working_days_for_the_office(day):
    # 3 May 2027 is the in-lieu day of Sat 1 May; the package files both under PUBLIC, for banks and firms.
    assert "Labor" in holidays.country_holidays("TH", years=day.year, language="en_US").get(day, "")
    assert PLAIN.is_working_day(day)


def test_a_day_off_that_shares_its_date_with_labour_day_stays_a_day_off(monkeypatch):
    from complaints.workflow import deadlines
    shared = holidays.HolidayBase(language="en_US")
    shared.update({D(2025, 5, 1): "National Labor Day; Visakha Bucha"})
    monkeypatch.setattr(deadlines.holidays, "country_holidays", lambda *a, **k: shared)
    deadlines._national_days_off.cache_clear()
    try:
        assert D(2025, 5, 1) in deadlines._national_days_off(2025)
    finally:
        deadlines._national_days_off.cache_clear()


WORKDAY_OBSERVANCES = holidays.country_holidays("TH", years=2025, categories=("workday",))


@pytest.mark.parametrize("before,day,name", [
    (D(2025, 1, 10), D(2025, 1, 13), "National Aviation Day"),  # Fri -> Mon
    (D(2025, 11, 4), D(2025, 11, 5), "Loy Krathong"),  # Tue -> Wed
])
def test_workday_observances_are_not_days_off(before, day, name):
    assert WORKDAY_OBSERVANCES.get(day) == name and day.weekday() < 5
    assert PLAIN.is_working_day(day)
    assert notice_deadline(before, 1, working_days=True, calendar=PLAIN).due == day
    # a calendar-mode due day on the observance is warned on that same day
    assert notice_deadline(D.fromordinal(day.toordinal() - 15), 15, working_days=False,
                           calendar=PLAIN).warn_on == day


@pytest.mark.parametrize("days", [0, -1, -15])
def test_a_notice_period_is_at_least_one_day(days):
    with pytest.raises(ValueError):
        notice_deadline(D(2025, 4, 10), days, working_days=False, calendar=PLAIN)


# --- through filing ------------------------------------------------------------------------

def _file(session, org, now=NOW):
    """File a general complaint in its own transaction; return the case id."""
    with session.begin():
        case = file_complaint(session, org, "general", "complaint", "web",
                              {"description": "ไฟถนนดับทั้งซอย"},
                              {"name": "สมชาย ใจดี", "phone": "0810000000"}, [], now).case
        return case.id


def _reload(store, case_id):
    with store.sessions() as s:
        case = s.get(Case, case_id)
        result = (case.fiscal_year, case.first_notice_due, case.next_notice_due, case.warn_on)
        s.rollback()
        return result


def _day_off(session, org, day):
    session.add(Holiday(org_id=org.id, day=day, name_th="วันหยุดท้องถิ่น", kind="day_off"))
    session.commit()


def test_filing_in_calendar_mode_stores_due_and_warning(session, org, store):
    case_id = _file(session, org)
    assert _reload(store, case_id) == (2568, D(2025, 4, 25), D(2025, 4, 25), D(2025, 4, 25))


def test_filing_in_working_day_mode_counts_national_and_own_days_off(session, org, store):
    org.working_days = True
    session.commit()
    assert _reload(store, _file(session, org))[1] == D(2025, 5, 7)  # Labour Day Thu 1 May counted
    _day_off(session, org, D(2025, 4, 22))
    assert _reload(store, _file(session, org))[1] == D(2025, 5, 8)
    _day_off(session, org, D(2025, 4, 23))
    # One more working day past Thu 8 May: Fri 9 May is the Royal Ploughing Ceremony (government
    # day off), 10-11 May a weekend, Mon 12 May Visakha Bucha in lieu, so Tue 13 May.
    assert _reload(store, _file(session, org))[1:3] == (D(2025, 5, 13), D(2025, 5, 13))


def test_an_own_working_day_on_a_national_holiday_counts(session, org, store):
    org.working_days = True
    session.add(Holiday(org_id=org.id, day=D(2025, 4, 15), name_th="เปิดทำการ", kind="working_day"))
    session.commit()
    assert _reload(store, _file(session, org))[1] == D(2025, 5, 6)


@pytest.mark.parametrize("now,fiscal_year,due", [
    (datetime(2025, 9, 30, 16, 59, tzinfo=timezone.utc), 2568, D(2025, 10, 15)),  # 23:59 30 Sep Bangkok
    (datetime(2025, 9, 30, 17, 0, tzinfo=timezone.utc), 2569, D(2025, 10, 16)),  # 00:00 1 Oct Bangkok
])
def test_receipt_day_and_fiscal_year_are_taken_in_bangkok(session, org, store, now, fiscal_year, due):
    assert _reload(store, _file(session, org, now)) == (fiscal_year, due, due, due)


def test_due_dates_are_stored_not_recomputed(session, org, store):
    case_id = _file(session, org)
    org.working_days, org.notice_days = True, 30
    session.commit()
    _day_off(session, org, D(2025, 4, 18))
    assert _reload(store, case_id) == (2568, D(2025, 4, 25), D(2025, 4, 25), D(2025, 4, 25))
    assert _reload(store, _file(session, org))[1] != D(2025, 4, 25)  # the new settings do apply


def test_years_without_government_days_are_the_ones_the_package_has_not_been_given():
    from complaints.workflow.deadlines import years_without_government_days

    assert years_without_government_days(D(2026, 6, 1)) == []
    assert years_without_government_days(D(2026, 11, 10)) == []  # 45 days on is still 2026
    assert years_without_government_days(D(2026, 11, 20)) == [2027]
    assert years_without_government_days(D(2027, 3, 1)) == [2027]
