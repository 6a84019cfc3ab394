"""Forwarding suggestions follow the routing table: executives go outside, to NACC first."""
from __future__ import annotations

from complaints.models import Case
from complaints.workflow.routing import SCOPE, suggested_agencies
from complaints.workflow.states import FORWARDING_AGENCIES


def test_a_report_naming_the_executive_defaults_to_nacc():
    assert suggested_agencies(Case(channel="corruption", names_executive=True))[0] == "nacc"


def test_staff_corruption_goes_to_pacc_first_and_general_grievances_to_damrongdham():
    assert suggested_agencies(Case(channel="corruption", names_executive=False))[0] == "pacc"
    assert suggested_agencies(Case(channel="general", names_executive=False))[0] == "damrongdham"


def test_every_agency_is_offered_once_with_its_scope():
    for case in (Case(channel="general", names_executive=False), Case(channel="corruption", names_executive=True)):
        offered = suggested_agencies(case)
        assert sorted(offered) == sorted(FORWARDING_AGENCIES) and len(offered) == len(set(offered))
    assert all(th and en for th, en in SCOPE.values())
