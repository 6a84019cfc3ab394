"""The per-case HMAC event chain: intact chains verify, every kind of SQL tampering is named."""
from __future__ import annotations

import hashlib
import json
import os
from datetime import timedelta, timezone

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from complaints.cli import main
from complaints.models import Case, CaseEvent
from complaints.workflow.history import (
    GENESIS,
    SYSTEM,
    event_hash,
    record_event,
    verify_all,
    verify_case,
)
from complaints.workflow.intake import file_complaint
from tests.conftest import NOW

LATER_ACTIONS = [("screen", "received", "screening"), ("assign", "screening", "assigned"),
                 ("notify", None, None), ("note", None, None)]


def _file(session, org, channel, minutes=0):
    kind, identity = ("tip", None) if channel == "corruption" else ("complaint", {"name": "ก", "phone": "1"})
    return file_complaint(session, org, channel, kind, "web", {"description": "เรื่องทดสอบ"}, identity,
                          [], NOW + timedelta(minutes=minutes)).case


@pytest.fixture
def cases(session, org, store):
    """Three committed cases (general first), each with the "file" event and four more."""
    key = store.vault.keyring.audit_key
    with session.begin():
        filed = [_file(session, org, ch, i) for i, ch in enumerate(("general", "corruption", "corruption"))]
    with session.begin():
        for case in filed:
            for hours, (action, before, after) in enumerate(LATER_ACTIONS, start=1):
                record_event(session, case, audit_key=key, action=action, actor=SYSTEM,
                             now=NOW + timedelta(hours=hours), from_state=before, to_state=after,
                             detail={"step": hours, "หมายเหตุ": "ทดสอบ"})
    return filed


def _verify(store):
    """verify_all in a fresh session, as the CLI runs it (no objects cached from filing)."""
    with store.sessions() as s:
        return verify_all(s, store.vault.keyring.audit_key)


def _events(store, case):
    with store.sessions() as s:
        return list(s.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)))


def _sql(store, statement, **params):
    with store.engine.begin() as conn:
        conn.execute(text(statement), params)


def test_a_filed_case_has_one_file_event_and_verifies(session, org, store):
    with session.begin():
        case = _file(session, org, "corruption")
    [event] = _events(store, case)
    assert (event.seq, event.action, event.to_state, event.prev_hash) == (1, "file", "received", GENESIS)
    assert event.actor_kind == "complainant"
    with store.sessions() as s:
        stored = s.get(Case, case.id)
        assert (stored.event_count, stored.audit_head) == (1, event.hash)
        assert verify_case(s, stored, store.vault.keyring.audit_key) == []


def test_appended_events_form_an_intact_chain(cases, store):
    events = _events(store, cases[0])
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert [e.action for e in events] == ["file"] + [a for a, _, _ in LATER_ACTIONS]
    assert all(e.prev_hash == p.hash for p, e in zip(events, events[1:]))
    assert _verify(store) == {}


def test_a_wrong_audit_key_breaks_every_chain(cases, store):
    with store.sessions() as s:
        assert set(verify_all(s, bytes(32))) == {c.id for c in cases}


def test_editing_an_event_action_is_detected(cases, store):
    _sql(store, "UPDATE case_event SET action = 'close' WHERE id = :id", id=_events(store, cases[1])[2].id)
    assert list(_verify(store)) == [cases[1].id]


def test_editing_an_event_detail_is_detected(cases, store):
    event = _events(store, cases[0])[0]
    forged = json.dumps({"attachments": 0, "kind": "complaint", "source": "phone"}, sort_keys=True)
    assert forged != event.detail
    _sql(store, "UPDATE case_event SET detail = :d WHERE id = :id", d=forged, id=event.id)
    assert list(_verify(store)) == [cases[0].id]


def test_deleting_a_middle_event_is_detected(cases, store):
    _sql(store, "DELETE FROM case_event WHERE id = :id", id=_events(store, cases[2])[2].id)
    broken = _verify(store)
    assert list(broken) == [cases[2].id]
    assert "missing" in broken[cases[2].id][0]


def test_deleting_the_newest_event_is_detected_by_the_event_count(cases, store):
    _sql(store, "DELETE FROM case_event WHERE id = :id", id=_events(store, cases[1])[-1].id)
    assert list(_verify(store)) == [cases[1].id]


def test_deleting_the_newest_event_and_its_count_is_detected_by_the_head(cases, store):
    _sql(store, "DELETE FROM case_event WHERE id = :id", id=_events(store, cases[1])[-1].id)
    _sql(store, 'UPDATE "case" SET event_count = event_count - 1 WHERE number = 1 AND channel = :ch',
         ch="corruption")
    assert list(_verify(store)) == [cases[1].id]


def test_deleting_all_events_of_a_case_is_detected(cases, store):
    for event in _events(store, cases[0]):
        _sql(store, "DELETE FROM case_event WHERE id = :id", id=event.id)
    assert list(_verify(store)) == [cases[0].id]


def _plain_sha256(_case_id, ev, prev):
    fields = [str(_case_id), ev.seq, ev.at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
              ev.actor_kind, ev.actor_id, ev.action, ev.from_state, ev.to_state, ev.detail,
              ev.note_ct.hex() if ev.note_ct else None]
    canonical = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(prev + canonical).digest()


def _rewrite_chain(store, case, seq, action, digest):
    """Edit one event and re-link the whole chain and the case head with ``digest``, in raw SQL."""
    events, prev = _events(store, case), GENESIS  # detached copies; the session is closed
    for ev in events:
        if ev.seq == seq:
            ev.action = action
        ev.prev_hash, ev.hash = prev, digest(case.id, ev, prev)
        prev = ev.hash
    with store.engine.begin() as conn:
        for ev in events:
            conn.execute(text("UPDATE case_event SET action = :a, prev_hash = :p, hash = :h WHERE id = :id"),
                         {"a": ev.action, "p": ev.prev_hash, "h": ev.hash, "id": ev.id})
        conn.execute(text('UPDATE "case" SET audit_head = :h WHERE number = :n AND channel = :ch'),
                     {"h": prev, "n": case.number, "ch": case.channel})


def test_a_chain_reforged_with_plain_sha256_is_detected(cases, store):
    _rewrite_chain(store, cases[2], 3, "close", _plain_sha256)
    assert list(_verify(store)) == [cases[2].id]


def test_only_the_audit_key_can_reforge_a_chain(cases, store):
    """Control for the test above: the same rewrite with the real key passes, so the key is what matters."""
    key = store.vault.keyring.audit_key
    _rewrite_chain(store, cases[2], 3, "close", lambda cid, ev, prev: event_hash(key, cid, ev, prev))
    assert _verify(store) == {}
    assert _events(store, cases[2])[2].action == "close"


# -- the command line --------------------------------------------------------------------------
def _verify_audit_cli(app, db_url):
    env = {k: None for k in os.environ if k.startswith("COMPLAINTS_")}
    env.update(COMPLAINTS_INSTANCE_PATH=app.instance_path, COMPLAINTS_DATABASE_URL=db_url)
    return CliRunner().invoke(main, ["verify-audit"], env=env)


def test_cli_verify_audit_reports_an_intact_database(cases, app, db_url):
    result = _verify_audit_cli(app, db_url)
    assert result.exit_code == 0, result.output
    assert "intact" in result.output and "3 cases" in result.output


def test_cli_verify_audit_names_the_tampered_case_and_fails(cases, app, store, db_url):
    general, corruption = cases[0], cases[1]
    assert general.case_number == "รท 2568/0001" and corruption.case_number == "ทจ 2568/0001"
    _sql(store, "UPDATE case_event SET action = 'close' WHERE id = :id", id=_events(store, general)[1].id)
    result = _verify_audit_cli(app, db_url)
    assert result.exit_code != 0
    assert "รท 2568/0001" in result.output
    assert "ทจ 2568/0001" not in result.output
    assert "intact" not in result.output
