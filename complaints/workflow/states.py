"""Case states and their public Thai and English labels (DESIGN.md §5).

The transition table joins this module with the workflow engine; the states themselves are
fixed here because the database constrains ``case.state`` to them.
"""
from __future__ import annotations

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
    State("resolved", "ดำเนินการแล้วเสร็จ", "Resolved", True),
    State("closed", "ปิดเรื่อง", "Closed", False),
)
STATE_CODES: tuple[str, ...] = tuple(s.code for s in STATES)
BY_CODE: dict[str, State] = {s.code: s for s in STATES}
INITIAL_STATE = "received"


def label(code: str, lang: str = "th") -> str:
    """The public label of a state in Thai (default) or English."""
    state = BY_CODE[code]
    return state.label_th if lang == "th" else state.label_en
