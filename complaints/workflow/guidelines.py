"""The published guideline of each channel, built from the settings the deadline engine enforces.

``/guide/general`` and ``/guide/corruption`` render this, so the time frames a citizen reads are
the ones the 15-day clock applies (DESIGN.md §4, rules.md R30).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.models import Unit
from complaints.workflow.deadlines import ClockSettings
from complaints.workflow.phones import Dial, hotline, quoting_phone, without_label
from complaints.workflow.routing import HOTLINES, OUTSIDE_AGENCIES, SCOPE
from complaints.workflow.states import CORRUPTION_ONLY_STATES, FORWARDING_AGENCIES, STATE_CODES, TRANSITIONS


@dataclass(frozen=True)
class Step:
    """One step of the procedure, in Thai and English, with the number it gives to call, if any."""

    th: str
    en: str
    dial: Dial | None = None


class PublicContact(ClockSettings, Protocol):
    """Where the public reaches an organization: the ORM ``Organization`` or a snapshot of it."""

    @property
    def address_th(self) -> str | None: ...  # noqa: D102 - a protocol member

    @property
    def phone(self) -> str | None: ...  # noqa: D102

    @property
    def office_hours_th(self) -> str | None: ...  # noqa: D102

    @property
    def office_hours_en(self) -> str | None: ...  # noqa: D102

    @property
    def po_box_th(self) -> str | None: ...  # noqa: D102


@dataclass(frozen=True)
class Guideline:
    """What a channel's guideline page shows."""

    channel: str
    notice_days: int
    progress_days: int
    working_days: bool
    units: tuple[Unit, ...]
    steps: tuple[Step, ...]
    flow: tuple[tuple[str, str], ...]  # (from state, to state) codes, from the transition table
    ways: tuple[Step, ...]  # how to complain to the organization: online and what it has set up
    elsewhere: tuple[Step, ...]  # outside agencies that take the same matters, with their hotlines

    @property
    def states(self) -> tuple[str, ...]:
        """The states a case of this channel can be in, in the order of the state list."""
        seen = {code for pair in self.flow for code in pair}
        return tuple(code for code in STATE_CODES if code in seen)


def state_flow(channel: str) -> tuple[tuple[str, str], ...]:
    """The state changes a case of ``channel`` can go through, read from the transition table:
    only from states a case of the channel can reach from "received" (an action of the other
    channel may lead into a state this one never sees)."""
    pairs = {
        (source, rule.target)
        for rule in TRANSITIONS
        if channel in rule.channels and rule.target and rule.action != "reclassify"
        for source in rule.sources
        if source != rule.target
        and (channel == "corruption" or not {source, rule.target} & CORRUPTION_ONLY_STATES)
    }
    reachable, frontier = {"received"}, ["received"]
    while frontier:
        state = frontier.pop()
        for source, target in pairs:
            if source == state and target not in reachable:
                reachable.add(target)
                frontier.append(target)
    flow = {pair for pair in pairs if pair[0] in reachable}
    # The complainant's answer has no target of its own: it takes the case back to the state the
    # question was asked in.
    flow |= {(target, source) for source, target in flow if target == "needs_info"}
    order = {code: i for i, code in enumerate(STATE_CODES)}
    return tuple(sorted(flow, key=lambda p: (order[p[0]], order[p[1]])))


def _day_word(working_days: bool) -> Step:
    return Step("วันทำการ", "working days") if working_days else Step("วัน", "days")


def _ways(org: PublicContact, channel: str) -> tuple[Step, ...]:
    """How to complain to the organization: online always, and what it has published besides."""
    hours_th = f" ({org.office_hours_th})" if org.office_hours_th else ""
    english_hours = org.office_hours_en or org.office_hours_th  # the Thai ones, if that is all there is
    hours_en = f" ({english_hours})" if english_hours else ""
    post = org.po_box_th or org.address_th
    if channel == "corruption":
        ways = [Step("แบบฟอร์มออนไลน์ของช่องทางนี้ ได้ตลอด 24 ชั่วโมง แยกจากช่องทางร้องเรียนทั่วไป ไม่ต้องเข้าสู่ระบบ",
                     "The online form for this channel, at any time; separate from general complaints; no login")]
        if post:  # a letter need not be signed; the envelope keeps it away from the general mail
            ways.append(Step(f"จดหมายถึง {post} ระบุหน้าซองว่า “ลับ – เรื่องร้องเรียนการทุจริต” ไม่ต้องลงชื่อ",
                             f"A letter to {post}, marked “Confidential – corruption complaint” on the envelope;"
                             " it need not be signed"))
        return tuple(ways)
    ways = [Step("ทางเว็บไซต์นี้ ได้ตลอด 24 ชั่วโมง", "On this website, at any hour")]
    if org.address_th:
        ways.append(Step(f"ด้วยตนเองที่ {org.address_th}{hours_th}", f"In person at {org.address_th}{hours_en}"))
    if org.phone:
        ways.append(Step(*quoting_phone(("ทางโทรศัพท์ ", hours_th), ("By phone on ", hours_en), without_label(org.phone))))
    if post:
        ways.append(Step(f"ทางไปรษณีย์ถึง {post}", f"By post to {post}"))
    return tuple(ways)


def _elsewhere(channel: str) -> tuple[Step, ...]:
    """The outside agencies that take the same matters, with their hotlines and remits."""
    steps = []
    for agency in OUTSIDE_AGENCIES[channel]:
        (name_th, name_en), (scope_th, scope_en) = FORWARDING_AGENCIES[agency], SCOPE[agency]
        before_th, before_en, number = f"{name_th} สายด่วน ", f"{name_en}, hotline ", HOTLINES[agency]
        steps.append(Step(f"{before_th}{number}: {scope_th}", f"{before_en}{number}: {scope_en}",
                          hotline(before_th, before_en, number)))
    return tuple(steps)


def guideline_for(session: Session, org: PublicContact, channel: str) -> Guideline:
    """The guideline of ``channel`` for ``org``, with its responsible units and time frames."""
    flag = Unit.handles_corruption if channel == "corruption" else Unit.receives_general
    units = tuple(session.scalars(select(Unit).where(Unit.org_id == org.id, flag.is_(True))))
    n, p, word = org.notice_days, org.progress_days, _day_word(org.working_days)
    first = Step(
        f"ภายใน {n} {word.th} นับจากวันที่ได้รับเรื่อง (ไม่นับวันที่ได้รับ) หน่วยงานจะแจ้งเป็นลายลักษณ์อักษรว่า"
        " รับไว้ดำเนินการ ส่งต่อหน่วยงานที่มีอำนาจ ไม่รับไว้พิจารณาพร้อมเหตุผล ขอข้อมูลเพิ่มเติม"
        " หรือแจ้งความคืบหน้าหรือผล",
        f"Within {n} {word.en} of receipt (the day of receipt not counted) the organization sends a written "
        "notice: accepted, forwarded to the competent agency, not accepted with the reason, a request for more"
        " information, progress or the result",
    )
    progress = Step(
        f"ระหว่างดำเนินการ แจ้งความคืบหน้าทุก {p} {word.th} จนกว่าจะแจ้งผลและปิดเรื่อง",
        f"While the case is open, a progress notice every {p} {word.en} until the result is sent and the case closed",
    )
    steps: tuple[Step, ...]
    if channel == "corruption":
        steps = (
            Step("แจ้งเรื่องผ่านแบบฟอร์มออนไลน์ ไม่ต้องเข้าสู่ระบบ ไม่บังคับระบุชื่อ",
                 "Report through the online form: no login, your name is optional"),
            Step("เมื่อแจ้งทางออนไลน์ จะได้รับรหัสติดตามเรื่อง เก็บไว้เป็นความลับ ใช้รหัสนี้ที่หน้าติดตามเรื่อง"
                 " เพื่อติดตามผลและตอบคำถามของเจ้าหน้าที่",
                 "Reporting online gives you a tracking code: keep it secret. Use it on the tracking page to follow"
                 " the case and answer questions"),
            Step("นิติกรตรวจสอบเบื้องต้น เรื่องที่ไม่ระบุชื่อหรือไม่มีช่องทางติดต่อ (บัตรสนเท่ห์) จะรับไว้พิจารณาเฉพาะเมื่อ"
                 "ระบุหลักฐาน กรณีแวดล้อมปรากฏชัดแจ้ง และชี้พยานบุคคลได้แน่นอน",
                 "A legal officer screens the report; one without a name or a way to reach you (an anonymous "
                 "letter) is taken up only if it gives evidence, clearly shown circumstances and definite witnesses"),
            first,
            Step("ตรวจสอบข้อเท็จจริง และดำเนินการทางวินัยหากมีมูล หรือส่ง ป.ป.ช. ป.ป.ท. สตง. ตามอำนาจหน้าที่",
                 "Fact-finding, and disciplinary action if substantiated, or referral to NACC, PACC or the "
                 "State Audit Office as the law assigns"),
            progress,
            Step("แจ้งผลทางช่องทางติดต่อที่ให้ไว้และทางหน้าติดตามเรื่อง แล้วปิดเรื่อง",
                 "The result is sent to the contact details given and posted on the tracking page; the case"
                 " is closed"),
        )
    else:
        steps = (
            Step("ยื่นเรื่องทางออนไลน์ ด้วยตนเอง ทางโทรศัพท์ จดหมาย หรือตู้ ปณ. พร้อมชื่อและช่องทางติดต่อกลับ",
                 "File online, in person, by phone, letter or PO box, with your name and a way to reach you"),
            # Only the online form gives a code today: staff keying of walk-in, phone and letter
            # complaints comes with the staff console.
            Step("เมื่อยื่นทางออนไลน์ จะได้รับรหัสติดตามเรื่อง ใช้ติดตามผลและตอบคำถามของเจ้าหน้าที่ด้วยตนเองที่หน้าติดตามเรื่อง",
                 "Filing online gives you a tracking code, to follow the case and answer questions yourself on the"
                 " tracking page"),
            Step("เจ้าหน้าที่รับเรื่องคัดกรองและส่งเรื่องให้ส่วนราชการ (สำนักหรือกอง) ที่รับผิดชอบ",
                 "The intake officer screens the complaint and passes it to the responsible unit (office or division)"),
            first,
            progress,
            Step("แจ้งผลการดำเนินการทางช่องทางติดต่อที่ให้ไว้และทางหน้าติดตามเรื่อง แล้วปิดเรื่อง",
                 "The result is sent to the contact details you gave and posted on the tracking page, and the"
                 " case is closed"),
        )
    return Guideline(channel, n, p, org.working_days, units, steps, state_flow(channel),
                     _ways(org, channel), _elsewhere(channel))
