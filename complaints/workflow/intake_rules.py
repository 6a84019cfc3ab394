"""What filing reads from a report's words and its moment: whether a required field says anything
at all, whether it names the chief executive or a council member, and to what precision the
time of a corruption report is kept."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime

from complaints import thaidate

# Titles of the organization's political office holders (DESIGN.md §4: a report naming them is
# flagged, hidden from recused staff and suggested for NACC). Whole titles only: a bare "นายก"
# begins many ordinary names ("นายกมล" is Mr Kamon), so it counts only standing alone or before a
# space, "ฯ" or an organization's abbreviation.
_LOCAL_COUNCIL = r"สภา(?:ท้องถิ่น|เทศบาล|องค์การบริหารส่วน|อบต|อบจ|ตำบล|จังหวัด|เมือง|นคร)"
# Thai has no spaces between words and its vowel and tone marks are not word characters to re's
# \b, so an abbreviation stands alone only with no Thai letter (or dot) before it and no Thai
# letter after; one of the organization's is not followed by a vowel or tone mark ("นายกอบจิตต์"
# is Mr Kobchit).
_NOT_IN_A_WORD = r"(?<![\u0e00-\u0e7f.])"
_WORD_ENDS = r"(?![\u0e00-\u0e7f])"
_NO_MARK = r"(?![\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])"
_EXECUTIVE_TITLES = re.compile(
    rf"นายก(?:เทศมนตรี|เทศบาล|องค์การบริหารส่วน|ฯ|\s*\.?\s*(?:อบต|อบจ|ทต|ทม|ทน){_NO_MARK}|(?=[\s,.;:)\]])|$)"
    r"|รองนายก|ที่ปรึกษานายก|เลขานุการนายก"
    rf"|(?:สมาชิก|ประธาน|รองประธาน){_LOCAL_COUNCIL}|สมาชิกสภา\s*$"
    rf"|{_NOT_IN_A_WORD}ส\.?\s?(?:ท|อบต|อบจ|จ){_WORD_ENDS}"
    r"|\bmayor\b|council\s*(?:member|lor|or)|local council",
    re.IGNORECASE,
)
# The story fields that say who the report is about.
_ACCUSED_FIELDS = ("accused", "accused_unit")
CONTACT_FIELDS = ("phone", "email", "address", "line_id")


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


# Honorifics an office holder's name may be stored with; longest first ("นางสาว" before "นาง").
_HONORIFICS = ("นางสาว", "น.ส.", "นาง", "นาย", "ดร.")
_SHORTEST_NAME = 4  # letters: a shorter key would match inside ordinary words


def _squeezed(text: str) -> str:
    # Spaces and invisible characters out, so "สมชาย  ใจดี", "สมชายใจดี" and one with a
    # zero-width space in it read alike.
    return "".join(ch for ch in unicodedata.normalize("NFC", text).casefold()
                   if not ch.isspace() and unicodedata.category(ch) != "Cf")


def office_holder_keys(names: Sequence[str]) -> frozenset[str]:
    """What a report's accused fields are searched for, for each office holder's name: the full
    name without honorific, and "นายก" with the first name, as people write of a mayor they name.
    A name stored without a surname gives no key."""
    keys = set()
    for name in names:
        bare = unicodedata.normalize("NFC", name).strip()
        for honorific in _HONORIFICS:
            if bare.startswith(honorific):
                bare = bare[len(honorific):].strip()
                break
        parts = bare.split()
        if len(parts) < 2:  # a given name alone would match inside many other names
            continue
        full, first = _squeezed(bare), _squeezed(parts[0])
        if len(full) >= _SHORTEST_NAME:
            keys.add(full)
        if len(first) >= 2:
            keys.add("นายก" + first)
    return frozenset(keys)


def names_an_executive(story: Mapping[str, str], office_holders: Sequence[str] = ()) -> bool:
    """True when the report says it is about the chief executive, a deputy, their political
    staff or a council member, by title or by the name of one of ``office_holders`` (the
    organization's, now in office); the reporter's own tick box counts as well (the caller ORs it)."""
    accused = [str(story.get(field, "")) for field in _ACCUSED_FIELDS]
    if any(_EXECUTIVE_TITLES.search(text) for text in accused):
        return True
    keys = office_holder_keys(office_holders)
    return any(key in _squeezed(text) for text in accused for key in keys)


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
