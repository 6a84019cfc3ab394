"""Which competent agency a case may be forwarded to (rules.md §4), as suggestions for the console.

The officer decides; these hints only order the choices. A report naming the chief executive or
a council member defaults to external routing (NACC), because the organization's head cannot
handle a complaint against himself impartially.
"""
from __future__ import annotations

from complaints.models import Case
from complaints.workflow.states import FORWARDING_AGENCIES

# What goes where (rules.md §4), shown beside each agency in the forwarding form.
SCOPE = {
    "nacc": ("ทุจริตของผู้บริหารท้องถิ่น รองผู้บริหาร สมาชิกสภาท้องถิ่น และเจ้าหน้าที่ระดับสูง (ผู้อำนวยการกองขึ้นไป)"
             " และของเจ้าหน้าที่รัฐอื่นตามที่ ป.ป.ช. เห็นสมควร",
             "Corruption by local executives, their deputies, council members and senior officials (division"
             " directors and above), and by other officials at NACC's discretion"),
    "pacc": ("ทุจริตของเจ้าหน้าที่รัฐที่ต่ำกว่าระดับผู้บริหารระดับสูง รวมถึงผู้ที่พ้นจากราชการมาแล้วไม่เกิน 5 ปี",
             "Corruption by officials below senior executive level, including those who left service"
             " within the last 5 years"),
    "sao": ("การใช้จ่ายเงินแผ่นดินไม่ชอบหรือสิ้นเปลือง การจัดซื้อจัดจ้างผิดระเบียบ",
            "Unlawful or wasteful spending of public money; procurement irregularities"),
    "ombudsman": ("การไม่ปฏิบัติตามกฎหมาย ปฏิบัติเกินอำนาจ หรือละเลยหน้าที่จนเกิดความเดือดร้อน",
                  "Maladministration: not following the law, exceeding powers, neglect causing hardship"),
    "damrongdham": ("เรื่องร้องทุกข์ทั่วไประดับจังหวัดและอำเภอ", "General grievances at province or district level"),
    "province": ("ผู้ว่าราชการจังหวัดในฐานะผู้กำกับดูแลองค์กรปกครองส่วนท้องถิ่น",
                 "The provincial governor as supervisor of local government"),
    "district": ("นายอำเภอในฐานะผู้กำกับดูแล", "The district chief as supervisor"),
    "other": ("หน่วยงานอื่นที่มีอำนาจ", "Another competent agency"),
}
assert set(SCOPE) == set(FORWARDING_AGENCIES)
# The agencies' public hotlines (rules.md §4), for the guides' "you can also go to" list.
HOTLINES = {"nacc": "1205", "pacc": "1206", "damrongdham": "1567", "ombudsman": "1676"}
# Which of them each channel's guide names: the corruption agencies for a corruption report (NACC
# first: it alone takes reports on the chief executive and council members), the grievance ones
# for a general complaint.
OUTSIDE_AGENCIES = {"corruption": ("nacc", "pacc"), "general": ("damrongdham", "ombudsman")}


def suggested_agencies(case: Case) -> list[str]:
    """Agency codes in the order the console offers them for this case."""
    if case.names_executive:
        first = ["nacc", "province"]
    elif case.channel == "corruption":
        first = ["pacc", "nacc", "sao"]
    else:
        first = ["damrongdham", "ombudsman", "district", "province"]
    return first + [code for code in FORWARDING_AGENCIES if code not in first]
