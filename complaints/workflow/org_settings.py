"""The settings an office keeps for itself: its names and contacts, its time frames and its own
days off. The guides publish them and the deadline engine counts with them, so a value is checked
here before it is stored, whoever stores it (``complaints organization``, ``complaints day-off``).

Every deployment starts from the demo organization ``complaints init`` makes; an office turns it
into itself with these, instead of editing the database.
"""
from __future__ import annotations

import unicodedata
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.models import Holiday, Organization

# Published words: the longest each column holds (None: no limit), and those that may be empty.
TEXT_FIELDS: dict[str, int | None] = {
    "name_th": 200, "name_en": 200, "address_th": None, "phone": 60, "office_hours_th": 200,
    "office_hours_en": 200, "po_box_th": 200, "dpo_contact": 300,
}
REQUIRED = ("name_th", "name_en")
MULTILINE = ("address_th", "po_box_th")  # an address may take several lines; a name or phone not
KINDS = ("municipality", "sao", "other")
# Days for the first written notice (the law's 15 at most: an office may promise sooner) and
# between progress notices (rules.md R11: configurable, 15 by default).
DAY_RANGES = {"notice_days": (1, 15), "progress_days": (1, 30)}
FLAGS = ("working_days", "thai_digits")
_YES, _NO = ("yes", "true", "1", "on"), ("no", "false", "0", "off")


class SettingError(ValueError):
    """A setting or day off that cannot be stored as given; the message says why."""


def setting_names() -> list[str]:
    """Every setting ``set_setting`` accepts, in the order ``show`` lists them."""
    return [*TEXT_FIELDS, "kind", *DAY_RANGES, *FLAGS]


def show(org: Organization) -> dict[str, str]:
    """The organization's settings as text, unset ones as ``-``."""
    shown = {}
    for name in setting_names():
        value = getattr(org, name)
        shown[name] = ("yes" if value else "no") if name in FLAGS else ("-" if value in (None, "") else str(value))
    return shown


# Invisible marks that text copied from a word processor or a chat brings along, and that change
# nothing a reader sees: dropped, not refused. A direction override is refused (it reorders what is shown).
_PASTED_INVISIBLES = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def _plain(name: str, value: str, *, lines: bool = False) -> str:
    # Published on every page: a control character, or an invisible one (a direction override),
    # would garble it or make two names that look alike differ.
    value = value.translate(_PASTED_INVISIBLES)
    if lines:  # an address pasted from Windows or an old Mac: its line breaks are line breaks
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cf") and not (lines and ch == "\n"):
            raise SettingError(f"{name} has an invisible or control character (U+{ord(ch):04X})")
    return value


def checked_value(name: str, value: str, texts: dict[str, int | None], flags: tuple[str, ...]) -> object:
    """``value`` as the column ``name`` stores it, or ``SettingError`` saying why not."""
    value = unicodedata.normalize("NFC", value).strip()
    if name in texts:
        limit = texts[name]
        # NFC again: a mark dropped from between a letter and its accent leaves them to compose.
        value = unicodedata.normalize("NFC", _plain(name, value, lines=name in MULTILINE)).strip()
        if not value and name in REQUIRED:
            raise SettingError(f"{name} cannot be empty")
        if limit is not None and len(value) > limit:
            raise SettingError(f"{name} is at most {limit} characters, not {len(value)}")
        return value or None
    if name in flags:
        if value.lower() not in _YES + _NO:
            raise SettingError(f"{name} is yes or no")
        return value.lower() in _YES
    raise SettingError(f"no setting {name!r}; the settings are {', '.join([*texts, *flags])}")


def set_setting(org: Organization, name: str, value: str) -> object:
    """Check ``value`` for the setting ``name`` and store it on ``org``; returns what was stored.

    An empty value clears an optional text (the guides then leave that line out).
    """
    if name == "kind":
        if value.strip() not in KINDS:
            raise SettingError(f"kind is one of {', '.join(KINDS)}")
        stored: object = value.strip()
    elif name in DAY_RANGES:
        low, high = DAY_RANGES[name]
        if not value.strip().isascii() or not value.strip().isdigit() or not low <= int(value) <= high:
            raise SettingError(f"{name} is a whole number of days from {low} to {high}")
        stored = int(value)
    elif name in TEXT_FIELDS or name in FLAGS:
        stored = checked_value(name, value, TEXT_FIELDS, FLAGS)
    else:
        raise SettingError(f"no setting {name!r}; the settings are {', '.join(setting_names())}")
    setattr(org, name, stored)
    return stored


def days_off(session: Session, org_id: int) -> list[Holiday]:
    """The organization's own days off and cancelled ones, by date."""
    return list(session.scalars(select(Holiday).where(Holiday.org_id == org_id).order_by(Holiday.day)))


def add_day_off(session: Session, org_id: int, day: date, name_th: str, *, working: bool = False) -> Holiday:
    """Add a day the office is closed (or, ``working``, a national day off it works), replacing
    what that date had. Where due dates are counted in working days, cases filed and notices sent
    from now on count it; a due date already given to a complainant stays as it was told."""
    name_th = _plain("the day's name", unicodedata.normalize("NFC", name_th)).strip()
    if day.year > 2400:  # typed in the Buddhist Era by habit: 2570 is 2027
        raise SettingError(f"{day.isoformat()} looks like a Buddhist Era year: give the Common Era one "
                           f"({day.year} → {day.year - 543})")
    if not name_th or len(name_th) > 200:
        raise SettingError("a day off needs a name of 1 to 200 characters (e.g. วันหยุดชดเชย)")
    row = session.scalar(select(Holiday).where(Holiday.org_id == org_id, Holiday.day == day))
    if row is None:
        row = Holiday(org_id=org_id, day=day)
        session.add(row)
    row.name_th, row.kind = name_th, "working_day" if working else "day_off"
    return row


def remove_day_off(session: Session, org_id: int, day: date) -> Holiday:
    """Remove the organization's entry for ``day``; returns it."""
    row = session.scalar(select(Holiday).where(Holiday.org_id == org_id, Holiday.day == day))
    if row is None:
        raise SettingError(f"no day off of the organization's own on {day.isoformat()}")
    session.delete(row)
    return row
