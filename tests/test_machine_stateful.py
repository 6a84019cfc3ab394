"""Random filings, actions and sweeps keep the workflow's invariants (Hypothesis, SQLite only)."""
from __future__ import annotations

import itertools
import shutil
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from complaints import thaidate
from complaints.models import Case, Unit
from complaints.seed import ensure_demo_org
from complaints.vocab import ROLES
from complaints.web.context import get_store
from complaints.workflow.history import COMPLAINANT, SYSTEM, Actor, verify_case
from complaints.workflow.intake import file_complaint
from complaints.workflow.jobs import sweep
from complaints.workflow.machine import WorkflowError, allowed_actions, apply
from complaints.workflow.states import (
    BY_ACTION,
    CORRUPTION_ONLY_STATES,
    FORWARDING_AGENCIES,
    NOT_ACCEPTED_REASONS,
    OUTCOMES,
)
from tests.conftest import NOW, make_test_app

PERSON = {"name": "สมชาย ใจดี", "phone": "0812345678"}
CHANNEL_ROLES = {"general": frozenset({"intake", "unit", "supervisor"}), "corruption": frozenset({"legal"})}
SETTINGS = settings(max_examples=25, stateful_step_count=20, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def plausible(good, bad=()):
    """Mostly valid values, sometimes missing, empty or wrong."""
    return st.sampled_from(list(good) * 3 + [None, "", *bad])


FIELDS = st.fixed_dictionaries({
    "unit_id": plausible(range(1, 9), [99]),
    "message": plausible(["แจ้งความคืบหน้า", "ขอเอกสารเพิ่มเติม"]),
    "reason": plausible(NOT_ACCEPTED_REASONS, ["bored"]),
    "agency": plausible(FORWARDING_AGENCIES, ["fbi"]),
    "letter_no": plausible(["มท 0001/123"]),
    "letter_date": plausible([date(2025, 4, 9)], ["2025-04-09"]),
    "outcome": plausible(sorted({o for v in OUTCOMES.values() for o in v}), ["bogus"]),
    "order_ref": plausible(["คำสั่ง 12/2568"]),
    "no_contact": st.sampled_from([False, False, False, True]),
})
ACTORS = st.one_of(
    st.builds(lambda roles: Actor("staff", None, roles), st.frozensets(st.sampled_from(ROLES), max_size=3)),
    st.sampled_from([COMPLAINANT, SYSTEM]),
)
STEP = st.one_of(st.integers(0, 48).map(lambda h: timedelta(hours=h)),
                 st.integers(1, 40).map(lambda d: timedelta(days=d)))


class Workflow(RuleBasedStateMachine):
    """One fresh migrated SQLite database and app per example."""

    template: Path
    base: Path
    counter = itertools.count()

    def __init__(self) -> None:
        super().__init__()
        self.dir = self.base / f"example{next(self.counter)}"
        self.dir.mkdir()
        shutil.copy(self.template, self.dir / "complaints.db")
        self.app = make_test_app(self.dir / "instance", f"sqlite:///{self.dir / 'complaints.db'}")
        self.store = get_store(self.app)
        with self.store.sessions() as s, s.begin():
            self.org_id = ensure_demo_org(s)[0].id
            self.units = list(s.scalars(select(Unit.id).where(Unit.org_id == self.org_id)))
        self.now, self.case_ids = NOW, []

    def teardown(self) -> None:
        self.store.engine.dispose()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _act(self, pick, choose) -> None:
        """Apply ``choose(case) -> (action, actor, fields)`` in one transaction; only WorkflowError may escape."""
        with self.store.sessions() as s, s.begin():
            case = s.get(Case, self.case_ids[pick % len(self.case_ids)])
            action, actor, fields = choose(case)
            try:
                apply(s, case, action, actor, self.now, **fields)
            except WorkflowError:
                pass  # refused: nothing was written, and the commit below must keep it that way

    @precondition(lambda self: len(self.case_ids) < 4)  # few cases, so each one goes deep
    @rule(channel=st.sampled_from(["general", "corruption"]), step=STEP)
    def file(self, channel, step):
        self.now += step
        with self.store.sessions() as s, s.begin():
            org = ensure_demo_org(s)[0]
            kind = "complaint" if channel == "general" else "tip"
            identity = dict(PERSON) if channel == "general" else None
            case = file_complaint(s, org, channel, kind, "web", {"description": "ถนนชำรุด"}, identity, [], self.now).case
            self.case_ids.append(case.id)

    @precondition(lambda self: self.case_ids)
    @rule(pick=st.integers(0, 3), action=st.sampled_from(sorted(BY_ACTION)), actor=ACTORS, fields=FIELDS, step=STEP)
    def try_anything(self, pick, action, actor, fields, step):
        self.now += step
        self._act(pick, lambda case: (action, actor, fields))

    @precondition(lambda self: self.case_ids)
    @rule(pick=st.integers(0, 3), data=st.data(), step=STEP)
    def take_a_legal_steps(self, pick, data, step):
        """Drive a case deep into the table: allowed actions by the right party with valid fields."""
        self.now += step

        def choose(case):
            staff = Actor("staff", None, CHANNEL_ROLES[case.channel])
            options = allowed_actions(case, staff) + allowed_actions(case, COMPLAINANT)
            if not options:
                return "close", staff, {}
            action = data.draw(st.sampled_from(sorted(options)))
            valid = {"unit_id": st.sampled_from(self.units), "reason": st.sampled_from(sorted(NOT_ACCEPTED_REASONS)),
                     "agency": st.sampled_from(sorted(FORWARDING_AGENCIES)), "letter_date": st.just(date(2025, 4, 9)),
                     "outcome": st.sampled_from(OUTCOMES[case.channel])}
            fields = {k: data.draw(valid.get(k, st.just("ข้อความ"))) for k in BY_ACTION[action].required}
            if action == "close":
                fields["no_contact"] = data.draw(st.sampled_from([False, False, True]))
            return action, COMPLAINANT if action == "answer" else staff, fields

        for _ in range(data.draw(st.integers(1, 5))):
            self._act(pick, choose)
            self.now += timedelta(hours=data.draw(st.integers(0, 72)))

    @rule(step=STEP)
    def run_the_sweep(self, step):
        self.now += step
        with self.store.sessions() as s, s.begin():
            sweep(s, self.now)

    @invariant()
    def cases_are_consistent(self):
        with self.store.sessions() as s:
            for case in s.scalars(select(Case)):
                label = f"{case.case_number} ({case.channel}, {case.state})"
                closed = case.state == "closed"
                assert not closed or case.result_notice_at is not None or case.no_contact, label
                assert closed == (case.closed_at is not None) == (case.next_notice_due is None), label
                if case.next_notice_due is not None:
                    assert case.next_notice_due >= thaidate.local_date(case.received_at), label
                else:
                    assert case.overdue is False, label
                assert case.channel == "corruption" or case.state not in CORRUPTION_ONLY_STATES, label
                assert verify_case(s, case, self.store.vault.keyring.audit_key) == [], label


def test_random_workflows_keep_the_invariants(sqlite_template, tmp_path):
    Workflow.template, Workflow.base = sqlite_template, tmp_path
    run_state_machine_as_test(Workflow, settings=SETTINGS)
