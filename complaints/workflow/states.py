"""Case states and their public Thai and English labels (DESIGN.md §5).

The transition table joins this module with the workflow engine; the states themselves are
fixed here because the database constrains ``case.state`` to them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class State(NamedTuple):
    """A case state with the label the complainant sees."""

    code: str
    label_th: str
    label_en: str
    open: bool


STATES: tuple[State, ...] = (
    State("received", "รับเรื่องแล้ว", "Received", True),
    State("needs_info", "ขอข้อมูลเพิ่มเติม", "More information requested", True),
    State("in_progress", "อยู่ระหว่างดำเนินการ", "In progress", True),
    State("fact_finding", "อยู่ระหว่างตรวจสอบข้อเท็จจริง", "Fact-finding under way", True),
    State("disciplinary", "อยู่ระหว่างดำเนินการทางวินัย", "Disciplinary process", True),
    State("forwarded", "ส่งต่อหน่วยงานที่มีอำนาจ", "Forwarded to a competent agency", True),
    State("not_accepted", "ไม่รับไว้พิจารณา", "Not accepted", True),
    State("resolved", "ดำเนินการแล้วเสร็จ", "Completed", True),
    State("closed", "ปิดเรื่อง", "Closed", False),
)
STATE_CODES: tuple[str, ...] = tuple(s.code for s in STATES)
BY_CODE: dict[str, State] = {s.code: s for s in STATES}
INITIAL_STATE = "received"


def label(code: str, lang: str = "th") -> str:
    """The public label of a state in Thai (default) or English."""
    state = BY_CODE[code]
    return state.label_th if lang == "th" else state.label_en


# What each state means to the complainant, in a sentence: a label such as "fact-finding" or
# "forwarded" says little to someone who has never dealt with an office (accessibility review).
# No day counts here: the guide and the case page give the organization's own.
MEANINGS: dict[str, tuple[str, str]] = {
    "received": ("หน่วยงานได้รับเรื่องแล้ว และกำลังพิจารณาว่าจะดำเนินการอย่างไร",
                 "The organization has the case and is deciding how to handle it."),
    "needs_info": ("เจ้าหน้าที่ถามข้อมูลเพิ่มเติม โปรดตอบที่หน้าติดตามเรื่องด้วยรหัสติดตามเรื่อง",
                   "An officer has asked you a question: answer it on the tracking page with your tracking code."),
    "in_progress": ("รับไว้ดำเนินการแล้ว และส่งให้ส่วนราชการที่รับผิดชอบแก้ไขหรือชี้แจง",
                    "Accepted, and passed to the responsible unit to put right or explain."),
    "fact_finding": ("กำลังตรวจสอบข้อเท็จจริงว่าเรื่องที่แจ้งมีมูลหรือไม่",
                     "The facts are being checked to see whether the report is substantiated."),
    "disciplinary": ("มีคำสั่งให้ดำเนินการทางวินัยแล้ว และอยู่ระหว่างดำเนินการ",
                     "A disciplinary process has been ordered and is under way."),
    "forwarded": ("ส่งเรื่องให้หน่วยงานอื่นที่มีอำนาจดำเนินการ หนังสือแจ้งระบุชื่อหน่วยงานนั้น",
                  "Sent to another agency with the power to act on it; the notice names that agency."),
    "not_accepted": ("ไม่รับไว้พิจารณา หนังสือแจ้งระบุเหตุผล",
                     "Not taken up; the notice gives the reason."),
    "resolved": ("ดำเนินการเสร็จแล้ว และจะแจ้งผลเป็นหนังสือ",
                 "The work is finished; the result will be sent to you in writing."),
    "closed": ("ปิดเรื่องแล้ว ไม่มีการดำเนินการต่อ", "The case is closed; nothing further is done."),
}


def meaning(code: str, lang: str = "th") -> str:
    """What a state means to the complainant, in Thai (default) or English."""
    th, en = MEANINGS[code]
    return th if lang == "th" else en


@dataclass(frozen=True)
class Transition:
    """One row of the transition table: who may do what, from where, to where, with which fields.

    ``target`` None keeps the state (a notice or a reassignment). ``notice`` names the written
    notice the action sends to the complainant, which satisfies the running 15-day obligation.
    """

    action: str
    sources: frozenset[str]
    target: str | None
    roles: frozenset[str]
    channels: frozenset[str]
    required: tuple[str, ...] = ()
    notice: str | None = None


def _t(action: str, sources: str, target: str | None, roles: str, channels: str = "general corruption",
       required: str = "", notice: str | None = None) -> Transition:
    return Transition(action, frozenset(sources.split()), target, frozenset(roles.split()),
                      frozenset(channels.split()), tuple(required.split()), notice)


# General cases are worked by intake officers, unit officers and supervisors; corruption cases
# only by legal officers (a supervisor reads them only if also a legal officer).
G, C = "intake unit supervisor", "legal"
TRANSITIONS: tuple[Transition, ...] = (
    _t("accept", "received needs_info", "in_progress", "intake supervisor", "general", "unit_id", "progress"),
    _t("open_fact_finding", "received needs_info", "fact_finding", C, "corruption", "", "progress"),
    _t("ask", "received in_progress fact_finding", "needs_info", f"{G} {C}", required="message",
       notice="question"),
    _t("answer", "needs_info", None, "complainant", required="message"),
    _t("start_disciplinary", "fact_finding", "disciplinary", C, "corruption", "order_ref", "progress"),
    _t("forward", "received needs_info in_progress fact_finding", "forwarded", f"{G} {C}",
       required="agency letter_no letter_date", notice="forwarded"),
    _t("not_accept", "received needs_info", "not_accepted", f"intake supervisor {C}", required="reason",
       notice="not_accepted"),
    _t("progress", "received in_progress fact_finding disciplinary forwarded", None, f"{G} {C}",
       required="message", notice="progress"),
    _t("assign", "in_progress", None, "intake supervisor", "general", "unit_id"),
    _t("resolve", "in_progress fact_finding disciplinary forwarded", "resolved", f"{G} {C}",
       required="outcome"),
    _t("send_result", "resolved not_accepted forwarded", None, f"{G} {C}", required="message", notice="result"),
    _t("close", "resolved not_accepted forwarded", "closed", f"intake supervisor {C}"),
    _t("reclassify", "received needs_info in_progress", "received", "intake supervisor", "general"),
)
BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}
# Need to know: whatever a row of the table lists, a corruption case is worked only by legal
# officers and a general case only by general staff; the complainant answers in both.
CHANNEL_ROLES = {
    "general": frozenset({"intake", "unit", "supervisor", "complainant"}),
    "corruption": frozenset({"legal", "complainant"}),
}
# Only corruption-only actions lead into these, so a general case can never be in them.
CORRUPTION_ONLY_STATES = frozenset({"fact_finding", "disciplinary"})

NOT_ACCEPTED_REASONS = {
    "in_court": ("อยู่ระหว่างการพิจารณาของศาลหรือศาลพิพากษาแล้ว", "Pending before or decided by a court"),
    "decided_elsewhere": ("หน่วยงานอื่นที่มีอำนาจได้วินิจฉัยแล้ว", "Already decided by another competent agency"),
    "incomplete": ("ข้อมูลไม่ครบถ้วนและไม่อาจติดต่อขอเพิ่มเติมได้", "Incomplete, and the complainant could not be reached for more"),
    "outside_powers": ("ไม่อยู่ในอำนาจหน้าที่ของหน่วยงาน", "Outside the organization's powers"),
    "anonymous_no_evidence": ("บัตรสนเท่ห์ที่ไม่ระบุหลักฐาน กรณีแวดล้อมที่ปรากฏชัดแจ้ง หรือพยานบุคคลที่แน่นอน",
                              "Anonymous letter without evidence, clearly shown circumstances or definite witnesses"),
}
FORWARDING_AGENCIES = {
    "nacc": ("สำนักงาน ป.ป.ช.", "National Anti-Corruption Commission (NACC)"),
    "pacc": ("สำนักงาน ป.ป.ท.", "Public Sector Anti-Corruption Commission (PACC)"),
    "sao": ("สำนักงานการตรวจเงินแผ่นดิน (สตง.)", "State Audit Office"),
    "ombudsman": ("ผู้ตรวจการแผ่นดิน", "Ombudsman"),
    "damrongdham": ("ศูนย์ดำรงธรรม", "Damrongdham Centre"),
    "province": ("จังหวัด", "Province"),
    "district": ("อำเภอ", "District"),
    "other": ("หน่วยงานอื่น", "Other agency"),
}
OUTCOMES = {
    "general": ("fixed", "partly_fixed", "explained", "unfounded"),
    "corruption": ("substantiated", "not_substantiated"),
}
