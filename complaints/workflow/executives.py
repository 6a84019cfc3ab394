"""Whether a corruption report is about the organization's political office holders: the chief
executive, the deputies, their political staff or council members (DESIGN.md §4: such a report
is flagged, hidden from recused staff and suggested for NACC).

A report says so by a title in its accused fields ("นายกฯ", "ส.ท.", "สมาชิกสภาฯ"); by the title of
a person in its subject or description when its accused field names no one (blank, "ไม่ทราบ", or
only a unit given: "นายกฯ เรียกรับเงิน" is then the only place it says who); or by the name of
someone the organization lists as an office holder (``complaints office-holder``) anywhere in its
words, with or without a title. A miss leaves the report in front of staff who owe their post to
the person it accuses, so the rules lean towards flagging: a report flagged in error is only seen
by fewer people.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.models import OfficeHolder

# Thai has no spaces between words and its vowel and tone marks are not word characters to re's
# \b, so an abbreviation stands alone only with no Thai letter (or dot) before it and no Thai
# letter after; one of the organization's is not followed by a vowel or tone mark ("นายกอบจิตต์"
# is Mr Kobchit).
_NOT_IN_A_WORD = r"(?<![\u0e00-\u0e7f.])"
_WORD_ENDS = r"(?![\u0e00-\u0e7f])"
_NO_MARK = r"(?![\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])"
_ORG_ABBREVIATION = rf"\s*\.?\s*(?:อ\.?\s?บ\.?\s?[ตจ]|ท\.?\s?[ตมน]){_NO_MARK}"  # อบต, อ.บ.ต., ทต, ท.ม. …
# The local council by name, and "สภาฯ", as people shorten it.
_LOCAL_COUNCIL = rf"สภา(?:ท้องถิ่น|เทศบาล|องค์การบริหารส่วน|ตำบล|จังหวัด|เมือง|นคร|ฯ|{_ORG_ABBREVIATION})"
_ENDS = r"[\s,.;:()\[\]]|$"  # a space, punctuation or the end after a word
# Whole titles only: a bare "นายก" begins many ordinary names ("นายกมล" is Mr Kamon, "นายกสิณ" Mr
# Kasin, "นายกนก" Mr Kanok), so it counts standing alone, before a space, a bracket or "ฯ", in a
# phrase only a mayor is called by, or run into a word no first name begins with: a leading vowel
# ("นายกเรียกเงิน", "นายกและพวก") or a common verb, joining word or digit ("นายกกับปลัด",
# "นายกสั่งให้"). Not the province of นครนายก, the Prime Minister's office (สำนักนายกฯ), nor the
# heads of other bodies (นายกเหล่ากาชาด, นายกแพทยสภา).
_JOINED_VERBS = ("กับ|ก็|ที่|ได้|จะ|มี|ยัง|ทำ|ร่วม|พร้อม|รับ|ว่า|หรือ|ซึ่ง|ของ|สั่ง|อนุมัติ|ลง|ตั้ง|บอก|ท่าน"
                 "|นำ|ขอ|ซื้อ|จ้าง|ทุจริต|ฮั้ว|พา|มา|กิน|บังคับ|ยักยอก|ถือ|ชี้|หลาย|ล็อก|\\d")
# After "สภา" a leading vowel begins other councils' names (สภาเด็ก, สภาเกษตรกร), so only verbs count.
_VOWEL_VERBS = "เรียก|เก็บ|เอา|เป็น|ไม่|ให้|ใช้|แก้|และ"
_PERSON_TITLES = (
    r"(?<!นคร)(?<!สำนัก)นายก(?:เทศมนตรี|เทศบาล|องค์การบริหารส่วน|ฯ|เล็ก|ตำบล"
    rf"|คน(?:ใหม่|เก่า|ปัจจุบัน|ก่อน|นี้|นั้น)|{_ORG_ABBREVIATION}"
    rf"|(?=[เแโใไ]|{_JOINED_VERBS}|{_ENDS})(?!เหล่ากาชาด|แพทยสภา))"
    r"|(?:รอง|ที่ปรึกษา|เลขานุการ)นายก(?!รัฐมนตรี)|รองฯ"
    rf"|(?:คณะ)?ผู้บริหาร(?:ท้องถิ่น|เทศบาล|{_ORG_ABBREVIATION})|คณะผู้บริหาร(?!โรงเรียน|สถานศึกษา|บริษัท|ศูนย์)"
    rf"|(?:สมาชิก|ประธาน|รองประธาน)(?:สภา(?={_JOINED_VERBS}|{_VOWEL_VERBS}|{_ENDS})|{_LOCAL_COUNCIL})"
    rf"|สมาชิก(?:เทศบาล|{_ORG_ABBREVIATION})"
    rf"|{_NOT_IN_A_WORD}ส\.?\s?(?:อ\.?\s?บ\.?\s?[ตจ]|ท|จ){_WORD_ENDS}"
    r"|\bmayor\b|\bnayok\b|council\s*(?:member|lor|or|man|woman)"
)
# A person's title anywhere; in the accused fields the council itself counts as well ("สภาเทศบาล"),
# and so do the executives as a body, but in a story the council is as often the room where
# something happened ("ห้องประชุมสภาเทศบาล").
_TITLE_OF_A_PERSON = re.compile(_PERSON_TITLES, re.IGNORECASE)
_EXECUTIVE_TITLES = re.compile(
    rf"{_PERSON_TITLES}|{_LOCAL_COUNCIL}|(?:ผู้|ฝ่าย)บริหาร(?={_ENDS})|local council", re.IGNORECASE)
# The story fields that say who the report is about: where a title alone is enough. When the
# accused field names someone, a title elsewhere ("I told the mayor, nothing happened") says too
# little; when it names no one (blank, "ไม่ทราบ", or only the unit or the organization is given),
# the subject and description are where the report says who. A listed name is enough anywhere.
ACCUSED_FIELDS = ("accused", "accused_unit")
STORY_FIELDS = ("subject", "description")
# What people write in the accused field when they do not know (compared squeezed).
_NO_ONE = re.compile(r"(?:ไม่(?:ทราบ|รู้|ระบุ|แน่ใจ|มี)(?:ชื่อ)?|na|none|unknown)?")

# What may stand before a name: honorifics, ranks (ว่าที่ร้อยตรี, often run into the first name)
# and abbreviated titles such as ดร., จ.ส.อ. or ผศ.ดร. (Thai letters, each run ended by a dot).
_RANK = (r"(?:จ่าสิบ|พันจ่า|จ่า|สิบ|ร้อย|พัน|พล|นาวา|เรือ)(?:ตำรวจ|อากาศ|เรือ)?(?:ตรี|โท|เอก)"
         r"|ดาบตำรวจ")
_PREFIX = re.compile(rf"^(?:นางสาว|นาง|นาย|ว่าที่|{_RANK}|(?:[\u0e01-\u0e2e]{{1,3}}\.)+)\s*")
_SHORTEST_NAME = 4  # code points of a full name's key: a shorter one would match inside ordinary words
_SHORTEST_FIRST_NAME = 3  # "นายก" + a two-letter first name ("มล") would match Mr Kamon ("นายกมล")


def _squeezed(text: str) -> str:
    """``text`` as names are compared: compatibility-normalized (so "ํา" is "ำ"), lower case, without
    spaces, punctuation or invisible characters, and with the marks over or under each letter in
    one order (a tone mark typed before or after the vowel above it looks the same on screen)."""
    out: list[str] = []
    marks: list[str] = []
    for ch in unicodedata.normalize("NFKC", text).casefold():
        category = unicodedata.category(ch)
        if category == "Mn":
            marks.append(ch)
            continue
        out.extend(sorted(marks))
        marks = []
        if not (ch.isspace() or category == "Cf" or category.startswith("P")):
            out.append(ch)
    out.extend(sorted(marks))
    return "".join(out)


def _visible(text: object) -> str:
    """``text`` without invisible characters (a zero-width space pasted from a chat app would
    otherwise hide "นายก\u200bรับเงิน")."""
    return "".join(ch for ch in str(text or "") if unicodedata.category(ch) != "Cf")


def bare_name(name: str) -> str:
    """An office holder's name without its honorific, rank or abbreviated titles, spaces evened."""
    bare = " ".join(unicodedata.normalize("NFC", name).split())
    while (prefix := _PREFIX.match(bare)) and prefix.end() < len(bare):
        bare = bare[prefix.end():]
    return bare


def office_holder_keys(names: Sequence[str]) -> frozenset[str]:
    """What a report's words are searched for, for each office holder's name: the full name
    without honorific or rank, and "นายก" with the first name, as people write of a mayor they
    name. A name without a surname gives no key: a first name alone is shared by too many."""
    keys = set()
    for name in names:
        parts = bare_name(name).split()
        if len(parts) < 2:
            continue
        full, first = _squeezed(" ".join(parts)), _squeezed(parts[0])
        if len(full) >= _SHORTEST_NAME:
            keys.add(full)
        if len(first) >= _SHORTEST_FIRST_NAME:
            keys.add("นายก" + first)
    return frozenset(keys)


def names_an_executive(story: Mapping[str, str], office_holders: Sequence[str] = ()) -> bool:
    """True when the report's accused fields give the title of a political office holder, or its
    subject or description give one while the accused field names no one, or any of its fields names
    one of ``office_holders`` (the organization's, present and former); the reporter's own tick box
    counts as well (the caller ORs it)."""
    accused = [_visible(story.get(field)) for field in ACCUSED_FIELDS]
    if any(_EXECUTIVE_TITLES.search(text) for text in accused):
        return True
    if _NO_ONE.fullmatch(_squeezed(accused[0])) and any(
            _TITLE_OF_A_PERSON.search(_visible(story.get(field))) for field in STORY_FIELDS):
        return True
    keys = _keys_of(tuple(office_holders))
    if not keys:
        return False
    # Each field squeezed once, not once per key: that made a long corruption report take a
    # tenth of a second more per listed name, which an observer of the network could time.
    fields = [_squeezed(str(text)) for text in story.values()]
    return any(key in text for text in fields for key in keys)


@lru_cache(maxsize=64)
def _keys_of(names: tuple[str, ...]) -> frozenset[str]:
    # The organization's list changes rarely; its keys are worked out once per version of it.
    return office_holder_keys(names)


class OfficeHolderError(ValueError):
    """An office holder that cannot be added or ended; the message is Thai / English."""


def _held(session: Session, org_id: int, name: str) -> OfficeHolder | None:
    return session.scalar(select(OfficeHolder).where(OfficeHolder.org_id == org_id, OfficeHolder.name_th == name))


def add_office_holder(session: Session, org_id: int, name: str, position: str) -> tuple[OfficeHolder, frozenset[str]]:
    """List ``name`` (spaces evened) as holding ``position``, or put a former holder back in
    office, in the caller's transaction; return the holder and what reports will be searched for.

    Raises OfficeHolderError for a missing name or position, or a name without a surname (it
    would give no key, and nothing would ever be flagged by it).
    """
    name, position = " ".join(name.split()), position.strip()
    if not name or not position:
        raise OfficeHolderError("ต้องระบุชื่อและตำแหน่ง / a name and a position are required")
    keys = office_holder_keys([name])
    if not keys:
        raise OfficeHolderError("ต้องระบุชื่อและนามสกุล / give the first name and surname")
    holder = _held(session, org_id, name) or OfficeHolder(org_id=org_id, name_th=name)
    holder.position_th, holder.active = position, True
    session.add(holder)
    return holder, keys


def end_office_holder(session: Session, org_id: int, name: str) -> OfficeHolder:
    """Record the end of ``name``'s term; the name is still searched (reports on a former
    holder's time in office go to NACC too). Raises OfficeHolderError when it is not listed."""
    holder = _held(session, org_id, " ".join(name.split()))
    if holder is None:
        raise OfficeHolderError(f"ไม่พบ / not found: {name}")
    holder.active = False
    return holder
