"""Tracking codes (generation, normalization, blind index, lookup) and gap-free case numbers."""
from __future__ import annotations

import re
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from complaints import codes
from complaints.codes import (
    InvalidTrackingCode,
    find_case,
    new_tracking_code,
    normalize,
    tracking_index,
)
from complaints.models import Case, CaseCounter, Organization
from complaints.workflow.intake import file_complaint
from tests.concurrency import run_in_threads
from tests.conftest import NOW

CODE_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")
CANONICAL = "01ABCDEFGHJKMN01"
KEY = bytes(range(32))


def _file(session, org, channel="corruption", now=NOW):
    kind = "tip" if channel == "corruption" else "complaint"
    identity = {"name": "สมชาย ใจดี", "phone": "0812345678"} if channel == "general" else None
    return file_complaint(
        session, org, channel, kind, "web", {"description": "เรื่องทดสอบ"}, identity, [], now
    )


# -- generation and normalization (no database) ----------------------------------------------
def test_generated_codes_are_unique_and_use_only_the_crockford_alphabet():
    generated = [new_tracking_code() for _ in range(10**5)]
    assert len(set(generated)) == len(generated)
    assert all(CODE_RE.match(c) for c in generated)
    assert set("".join(generated)) == set(codes.ALPHABET) | {"-"}


@pytest.mark.parametrize("typed", [
    "01AB-CDEF-GHJK-MN01", "01ab-cdef-ghjk-mn01", "01ABCDEFGHJKMN01", "01AB CDEF GHJK MN01",
    "01AB\tCDEF\tGHJK\tMN01", "01AB\u00a0CDEF\u00a0GHJK\u00a0MN01", "O1AB-CDEF-GHJK-MNO1",
    "o1ab-cdef-ghjk-mno1", "0IAB-CDEF-GHJK-MN0I", "0iab-cdef-ghjk-mn0i", "0LAB-CDEF-GHJK-MN0L",
    "0lab-cdef-ghjk-mn0l", "  01AB-CDEF-GHJK-MN01 \n", "\t\u00a001abcdefghjkmn01\u00a0 ",
    # Copied from a PDF or autocorrected on a phone: en and em dashes, a non-breaking hyphen, a
    # minus sign, a full-width hyphen, narrow and zero-width spaces.
    "01AB\u2013CDEF\u2013GHJK\u2013MN01", "01AB\u2014CDEF\u2011GHJK\u2212MN01", "01AB\uff0dCDEF-GHJK-MN01",
    "01AB\u202fCDEF\u200bGHJK\u2007MN01",
    # Full-width letters and digits, and invisible characters a paste brings along: soft hyphen,
    # word joiner, BOM, left-to-right and right-to-left marks, zero-width (non-)joiners.
    "\uff10\uff11\uff21\uff22-\uff23\uff24\uff25\uff26-GHJK-MN01", "01AB\u00adCDEF\u2060GHJK-MN01",
    "\ufeff01AB-CDEF-GHJK-MN01\u200e", "\u200f01AB-CDEF\u200c-GHJK\u200d-MN01",
])
def test_normalize_accepts_every_harmless_spelling(typed):
    assert normalize(typed) == CANONICAL
    assert tracking_index(KEY, typed) == tracking_index(KEY, CANONICAL)


@pytest.mark.parametrize("typed", [
    "01ABCDEFGHJKMN0", "01ABCDEFGHJKMN011", "01AB-CDEF-GHJK-MN0", "01ABCDEFGHJKMNU1",
    "01AB!CDEF!GHJK!MN01", "01AB/CDEF/GHJK/MN01", "01AB,CDEFGHJKMN01", "01ABCDEFGHJKMN0#",
    "01ABCDEFGHJKMN0ก", "๐1ABCDEFGHJKMN01", "รหัสติดตามของฉัน", "", "   ",
])
def test_normalize_rejects_what_cannot_be_a_code(typed):
    with pytest.raises(InvalidTrackingCode):
        normalize(typed)
    with pytest.raises(InvalidTrackingCode):
        tracking_index(KEY, typed)


def test_tracking_index_differs_by_key_and_by_code():
    assert tracking_index(KEY, CANONICAL) != tracking_index(bytes(32), CANONICAL)
    assert tracking_index(KEY, CANONICAL) != tracking_index(KEY, "01ABCDEFGHJKMN02")


# -- lookup ------------------------------------------------------------------------------------
def test_find_case_opens_the_case_from_any_accepted_spelling(session, org, store, monkeypatch):
    with session.begin():
        other = _file(session, org)
        monkeypatch.setattr(codes, "new_tracking_code", lambda: "01AB-CDEF-GHJK-MN01")
        mine = _file(session, org)
    key = store.vault.keyring.index_key
    for typed in ("01ab-cdef-ghjk-mn01", "01ABCDEFGHJKMN01", "oIab cdef ghjk mnOl", " 01AB-CDEF-GHJK-MN01 "):
        assert find_case(session, key, typed).id == mine.case.id
    assert find_case(session, key, other.tracking_code.lower()).id == other.case.id


def test_find_case_returns_none_for_a_wrong_or_malformed_code(session, org, store):
    with session.begin():
        filing = _file(session, org)
    key = store.vault.keyring.index_key
    wrong = new_tracking_code()
    assert wrong != filing.tracking_code
    assert find_case(session, key, wrong) is None
    assert find_case(session, key, filing.tracking_code[:-1]) is None
    assert find_case(session, key, filing.tracking_code + "U") is None
    assert find_case(session, key, "") is None


# -- case numbers ------------------------------------------------------------------------------
def test_case_numbers_run_per_channel_and_organization(session, org):
    with session.begin():
        other_org = Organization(slug="other", name_th="อบต.ทดสอบ", name_en="Test SAO", kind="sao")
        session.add(other_org)
        general = [_file(session, org, "general").case for _ in range(3)]
        corruption = [_file(session, org, "corruption").case for _ in range(2)]
        elsewhere = [_file(session, other_org, "general").case for _ in range(2)]
    assert [c.number for c in general] == [1, 2, 3]
    assert [c.number for c in corruption] == [1, 2]
    assert [c.number for c in elsewhere] == [1, 2]
    assert general[0].case_number == "รท 2568/0001"
    assert general[2].case_number == "รท 2568/0003"
    assert corruption[0].case_number == "ทจ 2568/0001"


def test_a_new_fiscal_year_starts_a_new_series_at_bangkok_midnight(session, org):
    last_minute = datetime(2025, 9, 30, 16, 59, tzinfo=timezone.utc)  # 23:59 30 Sep in Bangkok
    new_year = datetime(2025, 9, 30, 17, 0, tzinfo=timezone.utc)  # 00:00 1 Oct in Bangkok
    with session.begin():
        old = _file(session, org, now=last_minute).case
        new = _file(session, org, now=new_year).case
        second = _file(session, org, now=new_year).case
    assert (old.fiscal_year, old.number, old.case_number) == (2568, 1, "ทจ 2568/0001")
    assert (new.fiscal_year, new.number, new.case_number) == (2569, 1, "ทจ 2569/0001")
    assert second.case_number == "ทจ 2569/0002"


# -- concurrency -------------------------------------------------------------------------------
THREADS, PER_THREAD = 8, 10


class _Abort(Exception):
    """Raised inside a filing transaction to roll it back on purpose."""


def _file_concurrently(store, org_id, abort_every=None):
    barrier = threading.Barrier(THREADS)
    committed, errors, lock = [], [], threading.Lock()

    def worker():
        try:
            with store.sessions() as s:
                barrier.wait(timeout=60)
                for i in range(PER_THREAD):
                    try:
                        with s.begin():
                            number = _file(s, s.get(Organization, org_id)).case.number
                            if abort_every and i % abort_every == abort_every - 1:
                                raise _Abort
                    except _Abort:
                        continue
                    with lock:
                        committed.append(number)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    run_in_threads(worker, THREADS, timeout=300)
    assert errors == []
    with store.sessions() as s:
        stored = sorted(s.scalars(select(Case.number).where(
            Case.org_id == org_id, Case.channel == "corruption", Case.fiscal_year == 2568)))
        last = s.scalar(select(CaseCounter.last_number).where(
            CaseCounter.org_id == org_id, CaseCounter.channel == "corruption"))
    return sorted(committed), stored, last


def test_concurrent_filings_get_distinct_gap_free_numbers(store, org):
    committed, stored, last = _file_concurrently(store, org.id)
    expected = list(range(1, THREADS * PER_THREAD + 1))
    assert stored == expected
    assert committed == expected
    assert last == THREADS * PER_THREAD


def test_rolled_back_filings_return_their_numbers(store, org):
    committed, stored, last = _file_concurrently(store, org.id, abort_every=5)
    n_committed = THREADS * (PER_THREAD - PER_THREAD // 5)
    assert stored == list(range(1, n_committed + 1))
    assert committed == stored
    assert last == n_committed


def test_a_malformed_code_costs_the_same_lookup_as_a_wrong_one(session, org, store, monkeypatch):
    # Returning early for a malformed code would answer faster, and tell a guesser which mistake
    # was made: both compute an index and query it once.
    from sqlalchemy import event

    key = store.vault.keyring.index_key
    indexed: list[str] = []
    monkeypatch.setattr(codes, "blind_index", lambda k, value: indexed.append(value) or b"\0" * 32)
    statements: list[str] = []
    bind = session.connection()
    event.listen(bind, "before_cursor_execute", lambda *args: statements.append(args[2]))
    for typed in (new_tracking_code(), "not a code", "ก" * 16, ""):
        before = len(statements)
        assert find_case(session, key, typed) is None
        assert len(statements) - before == 1 and "tracking_index" in statements[-1]
    assert len(indexed) == 4
    session.rollback()
