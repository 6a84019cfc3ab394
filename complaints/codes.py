"""Tracking codes (the complainant's only key back to the case) and case numbers (for staff).

A tracking code is 80 random bits in Crockford base32, shown as ``XXXX-XXXX-XXXX-XXXX``. Only an
HMAC blind index of its normalized form is stored. A case number (เลขรับ) is a running number per
organization, channel and fiscal year; it is for letters and never grants access.
"""
from __future__ import annotations

import secrets
import unicodedata

from sqlalchemy import Table, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from complaints.crypto import blind_index
from complaints.models import Case, CaseCounter

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CODE_LENGTH = 16
# Crockford decoding: look-alikes people type for digits.
_CONFUSABLES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -\t")
# What a PDF viewer, a phone's keyboard or a word processor puts where the receipt has "-" or " ":
# typographic hyphens and dashes (an autocorrected "--" is an en or em dash), the minus sign, and
# the no-break, narrow and zero-width spaces.
_LOOKALIKE_SEPARATORS = str.maketrans(dict.fromkeys(
    "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d", "-") | dict.fromkeys(
    "\u00a0\u2007\u202f\u200b\u3000", " "))


class InvalidTrackingCode(ValueError):
    """The text cannot be a tracking code (wrong length or a letter outside the alphabet)."""


def new_tracking_code() -> str:
    """A fresh code from ``secrets``: 16 symbols of 5 bits = 80 bits, grouped for reading aloud."""
    value = secrets.randbits(5 * CODE_LENGTH)
    symbols = [ALPHABET[(value >> (5 * i)) & 31] for i in range(CODE_LENGTH)]
    return format_code("".join(symbols))


def format_code(normalized: str) -> str:
    """Group a normalized code as ``XXXX-XXXX-XXXX-XXXX``."""
    return "-".join(normalized[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize(text: str) -> str:
    """Canonical form of what a person typed: upper case, no dashes or spaces, O→0, I/L→1.

    Raises ``InvalidTrackingCode`` rather than guessing, so a typo never matches another case.
    """
    text = text.translate(_LOOKALIKE_SEPARATORS)  # pasted from a document or a receipt: harmless
    # Full-width letters and digits (a Thai or CJK keyboard's wide mode) become ASCII, and the
    # invisible format characters a paste brings along (soft hyphen, word joiner, BOM, direction
    # marks) are dropped: a person reads these as the same code.
    text = "".join(ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Cf")
    if not text.isascii():  # upper() would turn e.g. "ı" into "I": accept nothing but ASCII
        raise InvalidTrackingCode("รหัสติดตามเรื่องไม่ถูกต้อง / invalid tracking code")
    code = text.strip().upper().translate(_SEPARATORS).translate(_CONFUSABLES)
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        raise InvalidTrackingCode("รหัสติดตามเรื่องไม่ถูกต้อง / invalid tracking code")
    return code


def tracking_index(index_key: bytes, code: str) -> bytes:
    """The blind index stored for a code (normalizes first, so any accepted spelling matches)."""
    return blind_index(index_key, normalize(code))


def find_case(session: Session, index_key: bytes, code: str) -> Case | None:
    """The case a tracking code opens, or None.

    A malformed code finds nothing with the same work as a well-formed unknown one (an HMAC and
    one indexed lookup), so neither the answer nor its time tells a guesser which mistake it was.
    """
    try:
        digest = tracking_index(index_key, code)
    except InvalidTrackingCode:
        # Stored indexes are of normalized codes only; this text did not normalize, and its
        # marked HMAC cannot equal one of them.
        digest = blind_index(index_key, "\0" + code[:64])
    return session.scalar(select(Case).where(Case.tracking_index == digest))


_COUNTER: Table = CaseCounter.__table__  # type: ignore[assignment]
# Built once: the filing hot path executes it on the session's connection with plain parameters,
# without building and caching a new statement per call.
_BUMP = (
    _COUNTER.update()
    .where(_COUNTER.c.org_id == bindparam("k_org"), _COUNTER.c.channel == bindparam("k_channel"),
           _COUNTER.c.fiscal_year == bindparam("k_year"))
    .values(last_number=_COUNTER.c.last_number + 1)
    .returning(_COUNTER.c.last_number)
)


def next_case_number(session: Session, org_id: int, channel: str, fiscal_year: int) -> int:
    """Take the next number for (organization, channel, fiscal year) inside the caller's transaction.

    The UPDATE locks the counter row until commit, so concurrent filings queue instead of
    colliding; a rollback returns the number, so committed numbers have no gaps.
    """
    key = {"org_id": org_id, "channel": channel, "fiscal_year": fiscal_year}
    conn = session.connection()
    params = {"k_org": org_id, "k_channel": channel, "k_year": fiscal_year}
    number = conn.execute(_BUMP, params).scalar_one_or_none()
    if number is None:
        # First filing of a fiscal year creates the row; a concurrent creator makes this a no-op.
        insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        conn.execute(insert(CaseCounter).values(**key, last_number=0).on_conflict_do_nothing())
        number = conn.execute(_BUMP, params).scalar_one()
    return int(number)
