"""Phone numbers in what the public pages say: as an English reader dials them, and where in a
sentence the number to call is, so a page can make it a ``tel:`` link (one tap from a phone).

The numbers come from the office's settings, typed as staff write them: "โทร 0 4500 0000 ต่อ 101",
a range of lines "0-4461-1222-3", two numbers, Thai digits, or an e-mail address beside a number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# How staff write a phone number: "โทร 0 4500 0000 ต่อ 101". Each label is a word of its own
# before a digit, so "ติดต่อ 0 4500 0000" (contact …) keeps its Thai.
_NOT_AFTER_THAI = r"(?<![\u0e00-\u0e7f])"
_PHONE_LABEL = re.compile(_NOT_AFTER_THAI + r"โทร(?:ศัพท์)?\.?\s*(?=\d)")
_LEADING_LABEL = re.compile(r"\A\s*โทร(?:ศัพท์)?\.?\s*(?=\d)")
_EXTENSION = re.compile(r"\s*" + _NOT_AFTER_THAI + r"ต่อ\.?\s*(?=\d)")

# The first number to dial in free text, spaced or hyphenated as written, Thai digits too: a
# mobile (06, 08, 09) has 10 digits, a landline 9. Its length is known from its start, so an
# office's range of lines ("0-4461-1222-3") dials its first. An extension is left to the caller.
_DIGIT = "[0-9๐-๙]"
_DIALLED = re.compile(
    rf"(?<!{_DIGIT})[0๐][\s-]?(?:[689๖๘๙](?:[\s-]?{_DIGIT}){{8}}"
    rf"|[1-57๑-๕๗](?:[\s-]?{_DIGIT}){{7}})(?!{_DIGIT})")
# The end of a range of lines written after a number ("-3" in "0-4461-1222-3"): part of the link.
_RANGE_END = re.compile(rf"[-–]{_DIGIT}{{1,2}}(?!{_DIGIT})")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def dial_number(text: str) -> str | None:
    """The digits a phone dials for the first number in ``text``, or None when it holds none."""
    found = _DIALLED.search(text)
    return re.sub(r"[\s-]", "", found.group()).translate(_THAI_DIGITS) if found else None


def phone_in_english(text: str) -> str:
    """A phone number, or free text holding one, as an English reader dials it: "โทร" becomes
    "phone" and "ต่อ" (extension) "ext."; other words stay as written."""
    return _EXTENSION.sub(" ext. ", _PHONE_LABEL.sub("phone ", text)).strip()


def without_label(phone: str) -> str:
    """A phone setting without the "โทร" it may start with, for a sentence that says "phone"
    itself ("ทางโทรศัพท์ โทร 0 4500 0000" reads twice)."""
    return _LEADING_LABEL.sub("", phone)


@dataclass(frozen=True)
class Dial:
    """Where a sentence gives a number to call: the digits dialled, and in each language's text
    where the link starts and what it covers."""

    number: str
    th_at: int
    th: str
    en_at: int
    en: str


def _number_in(text: str) -> tuple[int, str] | None:
    found = _DIALLED.search(text)
    if found is None:
        return None
    range_end = _RANGE_END.match(text, found.end())
    return found.start(), found.group() + (range_end.group() if range_end else "")


def quoting_phone(th: tuple[str, str], en: tuple[str, str], phone: str) -> tuple[str, str, Dial | None]:
    """The Thai and English of a sentence quoting ``phone`` (a phone setting, or free text holding
    a number) between each language's ``(before, after)``, and the ``Dial`` of its first number.

    Only the quoted part is searched, so an office name that holds the number is not linked; only
    the number is linked, so a second number in the setting is not a link that dials the first.
    None when it holds no number to dial (the demo's "0 0000 0000").
    """
    english = phone_in_english(phone)
    th_text, en_text = th[0] + phone + th[1], en[0] + english + en[1]
    number, th_part, en_part = dial_number(phone), _number_in(phone), _number_in(english)
    if not (number and th_part and en_part):
        return th_text, en_text, None
    return th_text, en_text, Dial(number, len(th[0]) + th_part[0], th_part[1], len(en[0]) + en_part[0], en_part[1])


def hotline(th_before: str, en_before: str, code: str) -> Dial:
    """The ``Dial`` of a short hotline code ("1205") that each language's text gives right after
    ``th_before`` and ``en_before``."""
    return Dial(code, len(th_before), code, len(en_before), code)
