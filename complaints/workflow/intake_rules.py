"""What filing reads from a report's words and its moment: whether a required field says anything
at all, whether its author can be reached, when the matter was received and to what precision the
time of a corruption report is kept; and the error a refused filing raises. Whether it names the
chief executive or a council member: ``executives``."""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date, datetime

from complaints import thaidate

CONTACT_FIELDS = ("phone", "email", "address", "line_id")


class IntakeError(ValueError):
    """A filing that cannot be accepted; ``field`` names the form field, the message is Thai / English."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


# Letters that draw nothing: the Hangul fillers and the blank Braille cell.
_DRAW_NOTHING = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def blank(value: object) -> bool:
    """True when ``value`` shows nothing: only spaces, invisible format characters (zero-width
    spaces and joiners, bidi marks, soft hyphens), letters that draw nothing, marks with no
    letter to sit on, and private-use or unassigned code points (no font anyone shares draws
    them), all of which pass a plain ``strip()``."""
    for ch in str(value or ""):
        if ch.isspace() or ch in _DRAW_NOTHING or unicodedata.category(ch) in ("Cf", "Mn", "Me", "Co", "Cn"):
            continue
        return False
    return True


def is_anonymous(identity: Mapping[str, str] | None) -> bool:
    """True for a filing the rules treat as an anonymous letter (บัตรสนเท่ห์): no name, or no way
    to reach its author (rules.md §1.3, R5). A name alone cannot be verified, so "ผู้หวังดี" (a
    well-wisher) with no contact is as anonymous as no identity at all; it goes to triage the same.
    """
    if identity is None or blank(identity.get("name")):
        return True
    return all(blank(identity.get(field)) for field in CONTACT_FIELDS)


def keeps_time_of_day(channel: str) -> bool:
    """Whether a filing on ``channel`` is recorded to the instant, or to its Bangkok day only."""
    return channel != "corruption"


def received_stamp(channel: str, now: datetime) -> datetime:
    """The instant a filing is recorded as received.

    A corruption report keeps only its Bangkok day (its midnight, in UTC): the deadlines, the
    receipt and the statistics need no more, and an exact second could be matched against the
    office network's logs to the one computer it was sent from. A general complaint keeps ``now``.
    """
    if keeps_time_of_day(channel):
        return now
    return thaidate.bangkok_midnight(thaidate.local_date(now))


def received_at(channel: str, source: str, now: datetime, received_on: date | None) -> datetime:
    """When the organization received the matter: the clock starts then (APA s.64), not when
    staff key it in. A letter or PO-box item keyed days later passes its ``received_on`` (Bangkok
    day, recorded at its midnight); a web filing is received as it is sent."""
    if received_on is None or received_on == thaidate.local_date(now):
        return received_stamp(channel, now)
    if source == "web":
        raise IntakeError("received_on", "เรื่องที่ยื่นทางออนไลน์รับ ณ เวลาที่ส่ง / a web filing is received when sent")
    if received_on > thaidate.local_date(now):
        raise IntakeError("received_on", "วันที่รับเรื่องต้องไม่เป็นวันในอนาคต / the received date cannot be in the future")
    return thaidate.bangkok_midnight(received_on)
