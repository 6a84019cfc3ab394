"""Tests for complaints.thaidate: BE/CE, Thai digits, parsing and the fiscal year."""

from datetime import date, datetime, timedelta, timezone

import pytest

from complaints.thaidate import (
    BANGKOK,
    THAI_MONTHS,
    THAI_MONTHS_ABBR,
    ThaiDateError,
    be_year,
    fiscal_label,
    fiscal_month,
    fiscal_year,
    fiscal_year_bounds,
    format_date,
    format_datetime,
    local_date,
    parse_date,
    to_ascii_digits,
    to_bangkok,
    to_thai_digits,
)

UTC = timezone.utc


@pytest.mark.parametrize(
    ("d", "fy", "fm"),
    [
        (date(2024, 9, 30), 2567, 12),
        (date(2024, 10, 1), 2568, 1),
        (date(2025, 1, 1), 2568, 4),
        (date(2025, 9, 30), 2568, 12),
        (date(2025, 10, 1), 2569, 1),
        (date(2025, 12, 31), 2569, 3),
    ],
)
def test_fiscal_year_and_month_boundaries(d, fy, fm):
    assert fiscal_year(d) == fy
    assert fiscal_month(d) == fm


@pytest.mark.parametrize(
    ("instant", "fy", "fm", "local"),
    [
        # 17:00 UTC is midnight in Bangkok: already 1 Oct, a new fiscal year.
        (datetime(2025, 9, 30, 17, 0, tzinfo=UTC), 2569, 1, date(2025, 10, 1)),
        (datetime(2025, 9, 30, 16, 59, tzinfo=UTC), 2568, 12, date(2025, 9, 30)),
        # Naive datetimes are UTC (as stored in the DB), not Bangkok.
        (datetime(2025, 9, 30, 17, 0), 2569, 1, date(2025, 10, 1)),
        (datetime(2025, 9, 30, 16, 59), 2568, 12, date(2025, 9, 30)),
    ],
)
def test_fiscal_year_uses_bangkok_time(instant, fy, fm, local):
    assert fiscal_year(instant) == fy
    assert fiscal_month(instant) == fm
    assert local_date(instant) == local


def test_to_bangkok_offsets():
    aware = to_bangkok(datetime(2025, 4, 25, 7, 5, tzinfo=UTC))
    assert aware.tzinfo is BANGKOK
    assert aware.utcoffset() == timedelta(hours=7)
    assert (aware.hour, aware.minute) == (14, 5)
    assert to_bangkok(datetime(2025, 4, 25, 7, 5)).hour == 14


@pytest.mark.parametrize(
    ("fy", "first", "last"),
    [
        (2568, date(2024, 10, 1), date(2025, 9, 30)),
        (2569, date(2025, 10, 1), date(2026, 9, 30)),
    ],
)
def test_fiscal_year_bounds(fy, first, last):
    assert fiscal_year_bounds(fy) == (first, last)
    assert fiscal_year(first) == fy and fiscal_year(last) == fy
    assert fiscal_year(first - timedelta(days=1)) == fy - 1
    assert fiscal_year(last + timedelta(days=1)) == fy + 1


@pytest.mark.parametrize("bad", [2025, 0])
def test_fiscal_year_rejects_ce(bad):
    with pytest.raises(ThaiDateError):
        fiscal_year_bounds(bad)
    with pytest.raises(ThaiDateError):
        fiscal_label(bad)


def test_fiscal_label():
    assert fiscal_label(2568) == "ปีงบประมาณ พ.ศ. 2568"
    assert fiscal_label(2568, thai_digits=True) == "ปีงบประมาณ พ.ศ. ๒๕๖๘"


@pytest.mark.parametrize(
    ("ascii_", "thai"),
    [("0123456789", "๐๑๒๓๔๕๖๗๘๙"), ("25/04/2568", "๒๕/๐๔/๒๕๖๘"), ("ม.ค. a-z", "ม.ค. a-z")],
)
def test_digits_both_ways(ascii_, thai):
    assert to_thai_digits(ascii_) == thai
    assert to_ascii_digits(thai) == ascii_


def test_be_year():
    assert be_year(date(2025, 4, 25)) == 2568
    assert be_year(date(2024, 2, 29)) == 2567


@pytest.mark.parametrize(
    ("style", "plain", "thai"),
    [
        ("long", "25 เมษายน 2568", "๒๕ เมษายน ๒๕๖๘"),
        ("short", "25 เม.ย. 2568", "๒๕ เม.ย. ๒๕๖๘"),
        ("numeric", "25/04/2568", "๒๕/๐๔/๒๕๖๘"),
    ],
)
def test_format_date_styles(style, plain, thai):
    d = date(2025, 4, 25)
    assert format_date(d, style=style) == plain
    assert format_date(d, style=style, thai_digits=True) == thai


def test_format_date_converts_datetimes_and_rejects_unknown_style():
    assert format_date(datetime(2025, 9, 30, 17, 0, tzinfo=UTC)) == "1 ตุลาคม 2568"
    with pytest.raises(ValueError):
        format_date(date(2025, 4, 25), style="iso")


def test_format_datetime():
    dt = datetime(2025, 4, 25, 7, 5, tzinfo=UTC)
    assert format_datetime(dt) == "25 เมษายน 2568 เวลา 14.05 น."
    assert format_datetime(dt, thai_digits=True) == "๒๕ เมษายน ๒๕๖๘ เวลา ๑๔.๐๕ น."


@pytest.mark.parametrize(
    "text",
    [
        "25/4/2568", "25/04/2568", "25-04-2025", "25/04/2025", "2025-04-25",
        "2568-04-25", "25 เมษายน 2568", "25 เม.ย. 2568", "25 เม.ย. 68", "25 เม.ย.68",
        "25/04/68", "วันที่ 25 เมษายน พ.ศ. 2568", "25 เมษายน ค.ศ. 2025",
        "วันที่ 25/04/2568", "  25 เมษายน 2568\n", "๒๕/๐๔/๒๕๖๘", "๒๕ เม.ย. ๒๕๖8",
        "25 เมษายน ๒๕๖8", "25\u200bเมษายน\u200b2568", " วันที่ 25/04/2568 ",
        "25 เมย 2568", "25 เม.ย 68",
    ],
)
def test_parse_variants(text):
    assert parse_date(text) == date(2025, 4, 25)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("01/01/2400", date(1857, 1, 1)), ("01/01/2450", date(1907, 1, 1)),
     ("01/01/2399", date(2399, 1, 1)), ("01/01/99", date(2056, 1, 1)),
     ("01/01/00", date(1957, 1, 1)), ("1 ม.ค. ๖๘", date(2025, 1, 1))],
)
def test_year_rule_4_digit_threshold_and_2_digit_be(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("month", range(1, 13))
@pytest.mark.parametrize("style", ["long", "short", "numeric"])
@pytest.mark.parametrize("thai_digits", [False, True])
def test_every_month_round_trips(month, style, thai_digits):
    d = date(2025, month, 28)
    text = format_date(d, style=style, thai_digits=thai_digits)
    names = THAI_MONTHS if style == "long" else THAI_MONTHS_ABBR
    if style != "numeric":
        assert names[month - 1] in text
    assert parse_date(text) == d


@pytest.mark.parametrize(("month", "name"), list(enumerate(THAI_MONTHS_ABBR, start=1)))
def test_abbreviation_with_two_digit_year(month, name):
    assert parse_date(f"1 {name} 67") == date(2024, month, 1)
    assert parse_date(f"1 {name}67") == date(2024, month, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("29/02/2567", date(2024, 2, 29)), ("29 ก.พ. 2024", date(2024, 2, 29)),
     ("2024-02-29", date(2024, 2, 29)), ("29 กุมภาพันธ์ 67", date(2024, 2, 29))],
)
def test_leap_day_2567_accepted(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "29/02/2568", "29 กุมภาพันธ์ 2568", "29 ก.พ. 68", "2025-02-29",
        "31/02/2568", "31 เมษายน 2568", "32/01/2568", "00/01/2568", "01/13/2568",
        "", "   ", "hello", "25 เมษา 2568", "25/04/568", "25/04-2568",
        "2025-04-25T10:00", "25 เมษายน พ.ศ. 2025", "25 เมษายน ค.ศ. 2568",
        "25 เม.ย. ค.ศ. 68", "25 เม.ย. พ.ศ. 2568 พ.ศ.", "٢٥/٠٤/٢٥٦٨",
    ],
)
def test_parse_rejects(text):
    with pytest.raises(ThaiDateError) as exc:
        parse_date(text)
    message = str(exc.value)
    assert message.startswith("วันที่ไม่ถูกต้อง / invalid date")
    assert isinstance(exc.value, ValueError)
