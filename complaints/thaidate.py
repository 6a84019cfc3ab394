"""Thai calendar helpers: Buddhist Era dates, Thai digits and the fiscal year.

Everything here works in Asia/Bangkok (UTC+7, no DST).  Citizens and
officers think in Bangkok calendar days and Buddhist Era (BE) years, while
the database stores UTC instants, so every conversion funnels through
:func:`to_bangkok` before a calendar date is taken.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

__all__ = [
    "BANGKOK",
    "THAI_MONTHS",
    "THAI_MONTHS_ABBR",
    "ThaiDateError",
    "to_bangkok",
    "local_date",
    "to_thai_digits",
    "to_ascii_digits",
    "be_year",
    "format_date",
    "format_datetime",
    "parse_date",
    "fiscal_year",
    "fiscal_month",
    "fiscal_year_bounds",
    "fiscal_label",
]

BANGKOK: ZoneInfo = ZoneInfo("Asia/Bangkok")

THAI_MONTHS: tuple[str, ...] = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
THAI_MONTHS_ABBR: tuple[str, ...] = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)

BE_OFFSET = 543
# A 4-digit year at or above this is read as BE.  CE 2400 is centuries away
# and BE 2400 (CE 1857) predates any record we hold, so the ranges never meet.
_BE_THRESHOLD = 2400

_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_TO_ASCII = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


class ThaiDateError(ValueError):
    """A date string or value that cannot be a real date (message is Thai, then English)."""


def _error(text: object) -> ThaiDateError:
    return ThaiDateError(f"วันที่ไม่ถูกต้อง / invalid date: {text!r}")


def to_bangkok(dt: datetime) -> datetime:
    """Return ``dt`` as an aware datetime in Asia/Bangkok.

    Naive input is taken to be UTC, because that is what the database
    stores; treating it as local time would shift every record by 7 hours.
    """
    if dt.tzinfo is None or dt.tzinfo.utcoffset(dt) is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(BANGKOK)


def local_date(dt: datetime) -> date:
    """Return the Bangkok calendar date on which the instant ``dt`` falls."""
    return to_bangkok(dt).date()


def bangkok_midnight(day: date) -> datetime:
    """The instant (in UTC) at which ``day`` begins in Bangkok."""
    return datetime.combine(day, time(0), tzinfo=BANGKOK).astimezone(timezone.utc)


def _as_local_date(d: date | datetime) -> date:
    # datetime subclasses date, so it must be checked first; otherwise a UTC
    # instant late in the evening would be filed under the previous day.
    return local_date(d) if isinstance(d, datetime) else d


def to_thai_digits(s: str) -> str:
    """Replace ASCII digits 0-9 with Thai digits ๐-๙; other characters are untouched."""
    return s.translate(_TO_THAI)


def to_ascii_digits(s: str) -> str:
    """Replace Thai digits ๐-๙ with ASCII digits 0-9; other characters are untouched."""
    return s.translate(_TO_ASCII)


def be_year(d: date) -> int:
    """Return the Buddhist Era year of ``d`` (a datetime is taken in Bangkok first)."""
    return _as_local_date(d).year + BE_OFFSET


def format_date(d: date | datetime, *, style: str = "long", thai_digits: bool = False) -> str:
    """Format a date the Thai way with a BE year.

    ``style`` is ``"long"`` (25 เมษายน 2568), ``"short"`` (25 เม.ย. 2568) or
    ``"numeric"`` (25/04/2568).  Datetimes are converted to Bangkok first.
    """
    day = _as_local_date(d)
    year = day.year + BE_OFFSET
    if style == "long":
        out = f"{day.day} {THAI_MONTHS[day.month - 1]} {year}"
    elif style == "short":
        out = f"{day.day} {THAI_MONTHS_ABBR[day.month - 1]} {year}"
    elif style == "numeric":
        out = f"{day.day:02d}/{day.month:02d}/{year}"
    else:
        raise ValueError(f"unknown style {style!r}; expected 'long', 'short' or 'numeric'")
    return to_thai_digits(out) if thai_digits else out


def format_datetime(dt: datetime, *, thai_digits: bool = False) -> str:
    """Format an instant as e.g. "25 เมษายน 2568 เวลา 14.05 น." (the official Thai style) in Bangkok time."""
    local = to_bangkok(dt)
    out = f"{format_date(local.date())} เวลา {local:%H.%M} น."
    return to_thai_digits(out) if thai_digits else out


def _month_pattern(name: str) -> str:
    # Abbreviations are often typed without their dots ("เมย"), so each dot
    # is optional; full names are matched literally.
    return r"\.?".join(re.escape(part) for part in name.split(".") if part) + (
        r"\.?" if name.endswith(".") else ""
    )


_MONTH_LOOKUP: list[tuple[re.Pattern[str], int]] = [
    (re.compile(_month_pattern(name)), i + 1)
    for names in (THAI_MONTHS, THAI_MONTHS_ABBR)
    for i, name in enumerate(names)
]
_MONTH_ALT = "|".join(
    _month_pattern(n) for n in sorted(THAI_MONTHS + THAI_MONTHS_ABBR, key=len, reverse=True)
)

_ERA_RE = re.compile(r"([พค])\.\s*ศ\.?")
# [0-9] rather than \d: \d would also admit Arabic-Indic, Lao, etc. digits,
# which no Thai form produces; Thai digits are folded to ASCII beforehand.
_ISO_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_NUMERIC_RE = re.compile(r"([0-9]{1,2})([/.\-])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})")
_TEXT_RE = re.compile(rf"([0-9]{{1,2}})\s*({_MONTH_ALT})\s*([0-9]{{4}}|[0-9]{{2}})")
# Zero-width spaces creep in from Thai word processors and web forms, which
# use them as invisible word breaks; they are never meaningful in a date.
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\ufeff]")


def _resolve_year(raw: str, era: str | None, original: str) -> int:
    """Turn the year as written into a CE year, honouring any era marker."""
    value = int(raw)
    if len(raw) == 2:
        # Two-digit years are how people abbreviate BE (68 = 2568); a CE
        # reading would be a guess, so an explicit ค.ศ. here is refused.
        if era == "ค":
            raise _error(original)
        return 2500 + value - BE_OFFSET
    is_be = value >= _BE_THRESHOLD
    # A marker that contradicts the year's range is almost certainly a typo,
    # and silently shifting the date by 543 years would be worse than refusing.
    if (era == "พ" and not is_be) or (era == "ค" and is_be):
        raise _error(original)
    return value - BE_OFFSET if is_be else value


def parse_date(text: str) -> date:
    """Parse a Thai or ISO date string into a :class:`date`.

    Accepts Thai or ASCII digits (mixed too), "25/4/2568", "25-04-2025",
    "2025-04-25", "25 เมษายน 2568", "25 เม.ย. 68", an optional leading
    "วันที่" and an optional "พ.ศ."/"ค.ศ." marker.  A 4-digit year >= 2400
    is BE, otherwise CE; a 2-digit year is BE (25yy).  Raises
    :class:`ThaiDateError` for anything unparseable or impossible.
    """
    if not isinstance(text, str):
        raise _error(text)
    s = unicodedata.normalize("NFC", text)
    s = _INVISIBLE_RE.sub("", s)
    s = to_ascii_digits(s).strip()
    s = re.sub(r"^วันที่\s*", "", s)

    eras = _ERA_RE.findall(s)
    if len(eras) > 1:
        raise _error(text)
    era = eras[0] if eras else None
    s = " ".join(_ERA_RE.sub(" ", s).split())

    if m := _ISO_RE.fullmatch(s):
        year_raw, month, day = m.group(1), int(m.group(2)), int(m.group(3))
    elif m := _NUMERIC_RE.fullmatch(s):
        day, month, year_raw = int(m.group(1)), int(m.group(3)), m.group(4)
    elif m := _TEXT_RE.fullmatch(s):
        day, year_raw = int(m.group(1)), m.group(3)
        month = next(n for pat, n in _MONTH_LOOKUP if pat.fullmatch(m.group(2)))
    else:
        raise _error(text)

    year = _resolve_year(year_raw, era, text)
    try:
        return date(year, month, day)
    except ValueError:
        raise _error(text) from None


def fiscal_year(d: date | datetime) -> int:
    """Return the Thai government fiscal year (BE) containing ``d``.

    The fiscal year runs 1 October - 30 September and is named by the BE
    year in which it ends.  Datetimes are converted to Bangkok first.
    """
    day = _as_local_date(d)
    end_year = day.year + 1 if day.month >= 10 else day.year
    return end_year + BE_OFFSET


def fiscal_month(d: date | datetime) -> int:
    """Return the month within the fiscal year: 1 for October ... 12 for September."""
    return (_as_local_date(d).month - 10) % 12 + 1


def _check_fy(fy: int) -> int:
    # Fiscal years are always BE; a CE year such as 2025 passed by mistake
    # would otherwise yield plausible-looking dates five centuries ago.
    if isinstance(fy, bool) or not isinstance(fy, int) or fy < _BE_THRESHOLD:
        raise ThaiDateError(f"ปีงบประมาณไม่ถูกต้อง (ต้องเป็นปี พ.ศ.) / invalid fiscal year (BE expected): {fy!r}")
    return fy


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    """Return the first and last day (1 Oct, 30 Sep) of BE fiscal year ``fy``."""
    end_ce = _check_fy(fy) - BE_OFFSET
    return date(end_ce - 1, 10, 1), date(end_ce, 9, 30)


def fiscal_label(fy: int, thai_digits: bool = False) -> str:
    """Return the display label, e.g. "ปีงบประมาณ พ.ศ. 2568"."""
    out = f"ปีงบประมาณ พ.ศ. {_check_fy(fy)}"
    return to_thai_digits(out) if thai_digits else out
