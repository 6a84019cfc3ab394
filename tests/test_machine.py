"""The state machine: every row of the transition table, every refusal, closing and reclassification."""
from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from complaints import thaidate
from complaints.models import Case, CaseEvent, Message, Organization, Unit
from complaints.store import vault_of
from complaints.vocab import ROLES
from complaints.workflow.history import COMPLAINANT, SYSTEM, Actor, verify_case
from complaints.workflow.intake import IncomingFile, file_complaint
from complaints.workflow.machine import (
    CloseWithoutResult,
    IllegalTransition,
    InvalidField,
    MissingFields,
    NotPermitted,
    WorkflowError,
    allowed_actions,
    apply,
)
from complaints.workflow.states import (
    BY_ACTION,
    CORRUPTION_ONLY_STATES,
    OUTCOMES,
    STATE_CODES,
    TRANSITIONS,
)
from tests.conftest import NOW

PERSON = {"name": "สมหญิง รักดี", "phone": "0812345678"}
STORY = {"description": "ถนนชำรุดหน้าโรงเรียน"}
LATER = NOW + timedelta(days=2)
CHANNEL_ROLES = {"general": frozenset({"intake", "unit", "supervisor"}), "corruption": frozenset({"legal"})}
EVERYONE = Actor("staff", None, frozenset(ROLES))


def reachable(channel):
    """States a case of the channel can be in (only accept, a general action, leads to in_progress)."""
    unreachable = {"in_progress"} if channel == "corruption" else CORRUPTION_ONLY_STATES
    return [s for s in STATE_CODES if s not in unreachable]


def new_case(session, org, channel="general", attachments=()):
    kind = {"general": "grievance", "corruption": "complaint"}[channel]
    return file_complaint(session, org, channel, kind, "web", STORY, dict(PERSON), list(attachments), NOW).case


def actor_for(case, action, roles=None):
    roles = roles or BY_ACTION[action].roles & CHANNEL_ROLES[case.channel]
    return COMPLAINANT if action == "answer" else Actor("staff", None, roles)


def fields_for(session, case, action):
    unit = session.scalar(select(Unit.id).where(Unit.org_id == case.org_id).order_by(Unit.id))
    values = {"unit_id": unit, "message": "แจ้งความคืบหน้า", "reason": "outside_powers", "agency": "nacc",
              "letter_no": "มท 0001/123", "letter_date": date(2025, 4, 9), "order_ref": "คำสั่ง 12/2568",
              "outcome": OUTCOMES[case.channel][0]}
    return {name: values[name] for name in BY_ACTION[action].required}


def do(session, case, action, now=NOW, actor=None, **override):
    return apply(session, case, action, actor or actor_for(case, action), now,
                 **{**fields_for(session, case, action), **override})


def bring_to(session, case, state, now=NOW):
    """Apply a legal path of actions from received to ``state``."""
    first = "accept" if case.channel == "general" else "open_fact_finding"
    paths = {"received": [], "in_progress": ["accept"], "fact_finding": ["open_fact_finding"],
             "needs_info": [first, "ask"], "resolved": [first, "resolve"], "not_accepted": ["not_accept"],
             "disciplinary": ["open_fact_finding", "start_disciplinary"], "forwarded": ["forward"],
             "closed": [first, "resolve", "send_result", "close"]}
    for action in paths[state]:
        do(session, case, action, now)
    assert case.state == state


def filed_at(session, org, channel, state, **kw):
    with session.begin():
        case = new_case(session, org, channel, **kw)
        bring_to(session, case, state)
    return case


def footprint(session, case):
    counts = [session.scalar(select(func.count()).where(m.case_id == case.id)) for m in (CaseEvent, Message)]
    session.refresh(case)
    found = (case.state, case.event_count, case.next_notice_due, *counts)
    session.rollback()
    return found


LEGAL = [(t.action, s, ch, role) for t in TRANSITIONS for ch in sorted(t.channels) for s in sorted(t.sources)
         if s in reachable(ch) for role in sorted(t.roles & (CHANNEL_ROLES[ch] | {"complainant"}))]


@pytest.mark.parametrize("action,source,channel,role", LEGAL)
def test_every_legal_transition(session, org, action, source, channel, role):
    rule = BY_ACTION[action]
    with session.begin():
        case = new_case(session, org, channel)
        bring_to(session, case, source)
        if action == "close":
            do(session, case, "send_result")
    resume = case.resume_state
    with session.begin():
        event = do(session, case, action, LATER, actor_for(case, action, frozenset({role})))
    expected = resume if action == "answer" else rule.target or source
    assert case.state == expected and (event.action, event.from_state, event.to_state) == (action, source, expected)
    assert session.scalar(select(func.count()).where(CaseEvent.case_id == case.id, CaseEvent.action == action))
    if rule.notice:
        kinds = session.scalars(select(Message.kind).where(Message.case_id == case.id, Message.created_at == LATER))
        assert rule.notice in list(kinds)
        assert case.next_notice_due == thaidate.local_date(LATER) + timedelta(days=org.progress_days)
        assert case.overdue is False


@pytest.mark.parametrize("channel,state", [(ch, s) for ch in ("general", "corruption") for s in reachable(ch)])
def test_refusals_write_nothing(session, org, channel, state):
    """Illegal actions raise IllegalTransition; legal ones refuse admin, the system and the wrong party."""
    case = filed_at(session, org, channel, state)
    before, wrong = footprint(session, case), []
    with session.begin():
        for action, rule in BY_ACTION.items():
            if channel not in rule.channels or state not in rule.sources:
                attempts = [(EVERYONE, IllegalTransition), (COMPLAINANT, IllegalTransition)]
            else:
                wrong_party = EVERYONE if action == "answer" else COMPLAINANT
                attempts = [(Actor("staff", None, frozenset({"admin"})), NotPermitted), (SYSTEM, NotPermitted),
                            (Actor("system", None, frozenset(ROLES)), NotPermitted), (wrong_party, NotPermitted)]
            for actor, error in attempts:
                try:
                    do(session, case, action, LATER, actor)
                    wrong.append((action, actor.kind, "accepted"))
                except WorkflowError as exc:
                    if type(exc) is not error:
                        wrong.append((action, actor.kind, type(exc).__name__))
    assert wrong == []
    assert footprint(session, case) == before


class _Undo(Exception):
    pass


@pytest.mark.parametrize("state", ["received", "needs_info", "fact_finding", "disciplinary", "forwarded",
                                   "resolved", "not_accepted"])
def test_general_roles_cannot_act_on_corruption_cases(session, org, state):
    """Corruption cases are worked only by legal officers (states.py: G, C comment)."""
    case = filed_at(session, org, "corruption", state)
    accepted = []
    for action, rule in BY_ACTION.items():
        if "corruption" in rule.channels and state in rule.sources and action != "answer":
            for role in ("intake", "unit", "supervisor"):
                try:
                    with session.begin():
                        do(session, case, action, LATER, Actor("staff", None, frozenset({role})))
                        accepted.append((action, role))
                        raise _Undo
                except (_Undo, NotPermitted):
                    pass
    assert accepted == [], f"general roles acted on a {state} corruption case: {accepted}"
    # Nor does the console offer them a button: the list of actions applies the same rule.
    assert allowed_actions(case, Actor("staff", None, frozenset({"intake", "unit", "supervisor"}))) == []
    assert allowed_actions(case, Actor("staff", None, frozenset({"legal"})))


@pytest.mark.parametrize("action,field", [(a, f) for a, r in BY_ACTION.items() for f in r.required])
def test_each_missing_required_field_is_refused(session, org, action, field):
    rule = BY_ACTION[action]
    channel = "general" if "general" in rule.channels else "corruption"
    case = filed_at(session, org, channel, sorted(set(rule.sources) & set(reachable(channel)))[0])
    with session.begin():
        for value in (None, "", "drop"):
            fields = fields_for(session, case, action)
            fields.pop(field) if value == "drop" else fields.update({field: value})
            with pytest.raises(MissingFields, match=field):
                apply(session, case, action, actor_for(case, action), LATER, **fields)


INVALID = [("general", "not_accept", {"reason": "bored"}), ("corruption", "forward", {"agency": "fbi"}),
           ("general", "forward", {"letter_date": "2025-04-09"}), ("general", "resolve", {"outcome": "substantiated"}),
           ("corruption", "resolve", {"outcome": "fixed"}), ("general", "accept", {"unit_id": "other"}),
           ("general", "assign", {"unit_id": "other"}), ("general", "accept", {"unit_id": 987654})]


@pytest.mark.parametrize("channel,action,bad", INVALID)
def test_invalid_field_values_are_refused(session, org, channel, action, bad):
    with session.begin():
        other = Organization(slug="other", name_th="อบต.อื่น", name_en="Other SAO", kind="sao",
                             units=[Unit(code="office", name_th="สำนักปลัด", name_en="Office")])
        session.add(other)
        session.flush()
        bad = {"unit_id": other.units[0].id} if bad.get("unit_id") == "other" else bad
        case = new_case(session, org, channel)
        bring_to(session, case, sorted(BY_ACTION[action].sources & set(reachable(channel)))[-1])
    before = footprint(session, case)
    with session.begin(), pytest.raises(InvalidField):
        do(session, case, action, LATER, **bad)
    assert footprint(session, case) == before


@pytest.mark.parametrize("channel", ["general", "corruption"])
@pytest.mark.parametrize("steps", [["resolve", "send_result"], ["not_accept"], ["forward"], ["resolve"]])
def test_closing_needs_a_final_notice_or_no_contact(session, org, channel, steps):
    with session.begin():
        case = new_case(session, org, channel)
        for action in steps:
            bring_to(session, case, "resolved") if action == "resolve" else do(session, case, action)
        case.overdue = True  # as the deadline sweep would have marked it
    no_contact = steps == ["resolve"]
    if no_contact:
        with session.begin(), pytest.raises(CloseWithoutResult):
            do(session, case, "close", LATER)
    with session.begin():
        do(session, case, "close", LATER, **({"no_contact": True} if no_contact else {}))
    session.refresh(case)
    assert (case.state, case.closed_at, case.next_notice_due, case.warn_on) == ("closed", LATER, None, None)
    assert case.overdue is False and case.no_contact is no_contact
    assert (case.result_notice_at is None) is no_contact


def test_reclassification_moves_keys_number_and_kind(session, org, store):
    pdf = IncomingFile("หลักฐาน.pdf", "application/pdf", io.BytesIO(b"%PDF-1.4 evidence"))
    case = filed_at(session, org, "general", "needs_info", attachments=[pdf])
    old_number = case.case_number
    with session.begin():
        event = do(session, case, "reclassify", LATER)
    detail = json.loads(event.detail)
    session.rollback()
    with store.sessions() as s:
        case, vault = s.get(Case, case.id), vault_of(s)
        assert (case.channel, case.kind, case.state, case.unit_id) == ("corruption", "complaint", "received", None)
        assert case.story_kek_id == vault.keyring.current("corruption", "story")[0]
        assert case.identity_kek_id == vault.keyring.current("corruption", "identity")[0]
        assert vault.story(case) == STORY and vault.identity(case) == PERSON
        assert old_number.startswith("รท ") and case.case_number.startswith("ทจ ")
        assert detail == {"from_number": old_number, "to_number": case.case_number}
        [att] = case.attachments
        assert b"".join(vault.read_blob(case, att)) == b"%PDF-1.4 evidence"
        assert vault.open_text(case, "attachment-name", att.id, att.name_ct) == "หลักฐาน.pdf"
        question = s.scalar(select(Message).where(Message.case_id == case.id, Message.kind == "question"))
        assert json.loads(vault.open_text(case, "message", question.id, question.body_ct))["text"]


def test_reclassification_when_the_same_corruption_number_exists(session, org):
    """Corruption case 1 exists; general case 1 is reclassified and must get corruption number 2."""
    with session.begin():
        taken, case = new_case(session, org, "corruption"), new_case(session, org, "general")
        assert case.number == taken.number == 1
        do(session, case, "reclassify", LATER)
    assert (case.channel, case.number, case.case_number) == ("corruption", 2, f"ทจ {case.fiscal_year}/0002")


SEQUENCES = {"general": "accept ask answer assign progress ask answer reclassify open_fact_finding ask answer "
                        "start_disciplinary progress resolve send_result close".split(),
             "corruption": "ask answer forward progress resolve send_result close".split()}


@pytest.mark.parametrize("channel", list(SEQUENCES))
def test_the_chain_verifies_after_a_long_legal_sequence(session, org, store, channel):
    with session.begin():
        case = new_case(session, org, channel)
        for day, action in enumerate(SEQUENCES[channel], start=1):
            do(session, case, action, NOW + timedelta(days=day))
    with store.sessions() as s:
        fresh = s.get(Case, case.id)
        assert (fresh.state, fresh.event_count) == ("closed", len(SEQUENCES[channel]) + 1)
        assert verify_case(s, fresh, store.vault.keyring.audit_key) == []
