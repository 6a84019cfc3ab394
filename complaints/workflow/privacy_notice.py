"""The privacy notice both forms and both guides show (PDPA ss.23-24, rules.md R21).

It says who controls the data, why it is used and on what basis, who reads it (for a corruption
report: legal officers, and the agencies a report may be forwarded to), how long it is kept, the
reporter's rights, and how to reach the data protection officer. The organization's own details
come from its settings, so the notice names the office that actually holds the data.
"""
from __future__ import annotations

from typing import Protocol

from complaints.workflow.guidelines import Step
from complaints.workflow.phones import quoting_phone, without_label

PDPA_TH = "พระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562"
PDPA_EN = "the Personal Data Protection Act B.E. 2562 (2019)"


class Controller(Protocol):
    """What the notice needs of an organization: the ORM ``Organization`` or a snapshot of it."""

    @property
    def name_th(self) -> str: ...  # noqa: D102 - a protocol member

    @property
    def name_en(self) -> str: ...  # noqa: D102

    @property
    def phone(self) -> str | None: ...  # noqa: D102

    @property
    def dpo_contact(self) -> str | None: ...  # noqa: D102


def _controller(org: Controller) -> Step:
    # No street address: the corruption channel does not send anyone to the office's front desk.
    th, en = f"ผู้ควบคุมข้อมูลส่วนบุคคล: {org.name_th}", f"Data controller: {org.name_en}"
    if not org.phone:
        return Step(th, en)
    return Step(*quoting_phone((f"{th} โทร ", ""), (f"{en}, phone ", ""), without_label(org.phone)))


def _purpose(channel: str) -> Step:
    # The office must take and answer complaints (the PMO regulation): a legal duty as well as a public task.
    basis_th = ("โดยอาศัยฐานการปฏิบัติหน้าที่ในการดำเนินภารกิจเพื่อประโยชน์สาธารณะหรือการใช้อำนาจรัฐ"
                f" และฐานการปฏิบัติตามกฎหมาย ตามมาตรา 24 (4) และ (6) แห่ง{PDPA_TH}")
    basis_en = ("on the basis of a task carried out in the public interest or in the exercise of official "
                f"authority, and of a legal obligation (section 24(4) and (6) of {PDPA_EN})")
    if channel == "corruption":
        return Step(f"วัตถุประสงค์: ตรวจสอบข้อเท็จจริงและดำเนินการตามกฎหมายกับเรื่องที่แจ้ง และจัดทำสถิติที่ไม่ระบุตัวบุคคล {basis_th}",
                    f"Purpose: to establish the facts of your report and act on it as the law requires, and to "
                    f"compile statistics that name no one, {basis_en}")
    return Step(f"วัตถุประสงค์: พิจารณาและดำเนินการตามเรื่องร้องเรียน แจ้งความคืบหน้าและผลให้ท่านทราบ"
                f" และจัดทำสถิติที่ไม่ระบุตัวบุคคล {basis_th}",
                f"Purpose: to consider and act on your complaint, send you its progress and result, and "
                f"compile statistics that name no one, {basis_en}")


def _collected(channel: str) -> Step:
    if channel == "corruption":
        return Step("ข้อมูลที่เก็บ: เฉพาะที่ท่านกรอกและไฟล์ที่แนบ ชื่อและช่องทางติดต่อไม่บังคับ",
                    "What is kept: only what you type and the files you attach; your name and contact are optional")
    return Step("ข้อมูลที่เก็บ: ชื่อ ช่องทางติดต่อ รายละเอียดของเรื่อง และไฟล์ที่แนบ",
                "What is kept: your name, how to reach you, the details of the matter and the files you attach")


def _recipients(channel: str) -> Step:
    if channel == "corruption":
        return Step("ผู้ที่อ่านได้: นิติกรและผู้ที่ได้รับมอบหมายให้ตรวจสอบเท่านั้น หากส่งต่อเรื่องไปยังหน่วยงานที่มีอำนาจ"
                    " เช่น สำนักงาน ป.ป.ช. ป.ป.ท. สตง. หรือจังหวัด หน่วยงานนั้นจะได้รับเนื้อเรื่องที่แจ้ง ส่วนชื่อและช่องทางติดต่อของท่าน"
                    "จะไม่ถูกเปิดเผยหรือส่งไปด้วย เว้นแต่ท่านยินยอมหรือกฎหมายบังคับ หากกฎหมายบังคับ ท่านจะได้รับแจ้งก่อน"
                    " เว้นแต่การแจ้งจะเป็นอุปสรรคต่อการตรวจสอบ",
                    "Who reads it: only legal officers and those assigned to the investigation. If the report is"
                    " forwarded to a competent agency, such as NACC, PACC, the State Audit Office or the province, that"
                    " agency receives the report itself; your name and contact are not disclosed or sent with it unless you"
                    " consent or the law requires it. If the law requires it, you are told first, unless telling"
                    " you would hinder the investigation")
    return Step("ผู้ที่อ่านได้: เจ้าหน้าที่ผู้รับผิดชอบเรื่อง และหน่วยงานอื่นที่มีอำนาจหากต้องส่งต่อเรื่องไปดำเนินการ",
                "Who reads it: the staff responsible for the matter, and another competent agency if the matter"
                " has to be forwarded to it")


def _rights(channel: str) -> Step:
    # The accused (ผู้ถูกกล่าวหา) of a corruption report, the person complained about otherwise.
    accused_th, who_th = ("ผู้ถูกกล่าวหา", "ผู้แจ้ง") if channel == "corruption" else ("ผู้ถูกร้องเรียน", "ผู้ร้องเรียน")
    accused_en, who_en = ("the accused", "who reported") if channel == "corruption" else (
        "the person complained about", "who complained")
    return Step(f"สิทธิของท่าน: ขอเข้าถึงและขอรับสำเนา ขอแก้ไข ขอคัดค้าน ขอให้ลบหรือระงับการใช้ข้อมูล ตามเงื่อนไขของ{PDPA_TH}"
                f" และร้องเรียนต่อสำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคลได้ คำขอของ{accused_th}ให้เปิดเผยชื่อ{who_th}จะถูกปฏิเสธ เว้นแต่กฎหมายหรือคำสั่งศาลบังคับให้เปิดเผย",
                f"Your rights: to access and get a copy, to correct, to object, and to have the data erased or its"
                f" use restricted, as {PDPA_EN} provides, and to complain to the Personal Data Protection"
                f" Committee's office. A request by {accused_en} to learn {who_en} is refused, unless a law or a court"
                f" order requires disclosure")


def _retention(retention_days: int | None) -> Step:
    # PDPA s.23(3) asks for the period, or the period one can expect when it cannot be fixed. Only
    # a minimum is said: nothing purges a case yet (jobs.apply_retention counts the cases due), so
    # "then it is destroyed" would promise what no part of the system does. With no schedule set,
    # the saraban rules' ten years for records kept as evidence is what a reporter can expect.
    if retention_days is None:
        return Step("ระยะเวลาเก็บรักษา: ไม่น้อยกว่า 10 ปีนับจากวันปิดเรื่อง ตามที่ระเบียบว่าด้วยงานสารบรรณกำหนดสำหรับหนังสือราชการ"
                    "ที่เก็บไว้เป็นหลักฐาน",
                    "How long it is kept: at least 10 years from the day the case is closed, as the official"
                    " correspondence (saraban) rules set for government records kept as evidence")
    years, days = divmod(retention_days, 365)
    th, en = (f"{years} ปี", f"{years} year{'s' if years != 1 else ''}") if years and not days else (
        f"{retention_days} วัน", f"{retention_days} day{'s' if retention_days != 1 else ''}")
    return Step(f"ระยะเวลาเก็บรักษา: ไม่น้อยกว่า {th} นับจากวันปิดเรื่อง ตามตารางการเก็บรักษาของหน่วยงาน",
                f"How long it is kept: at least {en} from the day the case is closed, as the organization's"
                " records schedule sets")


def privacy_notice(org: Controller, channel: str, *, retention_days: int | None = None) -> tuple[Step, ...]:
    """The privacy notice of ``channel`` for ``org``, item by item, in Thai and English.

    ``retention_days`` is the configured period after closing before personal data is purged
    (``RETENTION_DAYS``); None, the default, means no schedule yet and nothing is purged.
    """
    dpo = org.dpo_contact
    return (
        _controller(org),
        _purpose(channel),
        _collected(channel),
        _recipients(channel),
        _retention(retention_days),
        _rights(channel),
        Step(*quoting_phone(("ติดต่อเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล: ", ""), ("Data protection officer: ", ""), dpo))
        if dpo else Step("ติดต่อเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคลผ่านช่องทางติดต่อของหน่วยงานข้างต้น",
                         "Data protection officer: through the organization's contact details above"),
    )
