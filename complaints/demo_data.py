"""Fictional demo fixtures: units, categories, sample complaints and identities.

Everything here is invented test data for the generic organization
"เทศบาลตำบลตัวอย่าง" (``DEMO_ORG``). Sources in the domain notes
(``requirements.md``; seed citations as ``file:Lline``):

* §2.5 units: งานนิติการ สำนักปลัดเทศบาล handles corruption cases
  (000:L232, L391, L461–L462; 001:L2488, L3071), งานบริหารงานบุคคล owns the
  corruption channel (001:L3127), other routing targets (000:L45, L52, L142).
* §2.17 kinds of misconduct → corruption categories (001:L62–L68, L1680,
  L1686; 000:L275–L283, L313–L318, L338–L340, L478; 002:L170, L176, L211).
* §2.18 general categories: the six service domains (001:L1795–L1801),
  garbage (003:L102), finance/treasury (003:L279), unfair service (001:L674,
  L1831), staff conduct (001:L2147), information requests (000:L685;
  001:L1284); villages หมู่ที่ (001:L758, L2627) or ชุมชน (003:L306).
* §5.1/§5.2 sample complaints: descriptions are copied verbatim, including the
  deliberately mixed Thai/ASCII digits (items 4 and 10). Item 4 says "อบต."
  because §5 was written for both org types; it is kept as written.
* §6 item 10: the org name is single-sourced in ``DEMO_ORG``. No real
  officials' names are used (§5 preamble, 001:L3161–L3174).

``accused_unit`` holds a ``DemoUnit.code`` ("" when unknown or not a unit); the seed files the
unit's Thai name in its place, as a reporter would write it.
"""

from dataclasses import dataclass

DEMO_ORG: dict[str, str] = dict(
    slug="demo",
    name_th="เทศบาลตำบลตัวอย่าง",
    name_en="Tuayang Subdistrict Municipality",
    kind="municipality",
    # A made-up address and numbers: the demo must not send anyone to a real office.
    address_th="สำนักงานเทศบาลตำบลตัวอย่าง เลขที่ 99 หมู่ที่ 1 ตำบลตัวอย่าง อำเภอเมือง จังหวัดตัวอย่าง 00000",
    phone="0 0000 0000",
    office_hours_th="วันจันทร์–วันศุกร์ เวลา 08.30–16.30 น. เว้นวันหยุดราชการ",
    office_hours_en="Monday to Friday, 08:30–16:30, except public holidays",
    po_box_th="ตู้ ปณ. 100 ที่ทำการไปรษณีย์ตัวอย่าง 00000",
    dpo_contact="dpo@tuayang.example โทร 0 0000 0000 ต่อ 12",
)


# Invented office holders (name, position): a demo report naming one is flagged like one naming
# the title. None of these first names appears elsewhere in the demo data.
DEMO_OFFICE_HOLDERS: tuple[tuple[str, str], ...] = (
    ("นายสมปอง ตัวอย่างดี", "นายกเทศมนตรีตำบลตัวอย่าง"),
    ("นางสาวประจักษ์ ทดลองงาน", "รองนายกเทศมนตรีตำบลตัวอย่าง"),
    ("นายวิชัย ตัวอย่างยิ่ง", "สมาชิกสภาเทศบาลตำบลตัวอย่าง เขต 1"),
)


@dataclass(frozen=True)
class DemoUnit:
    code: str
    name_th: str
    name_en: str
    handles_corruption: bool
    responsible_th: str = ""
    responsible_en: str = ""
    phone: str = ""


@dataclass(frozen=True)
class DemoCategory:
    code: str
    channel: str  # "general" or "corruption"
    name_th: str
    name_en: str
    examples_th: str = ""  # what people file under it, listed on the form
    examples_en: str = ""


@dataclass(frozen=True)
class DemoComplaint:
    channel: str  # "general" or "corruption"
    kind: str  # "complaint", "grievance" (general only) or "tip" (corruption only)
    category: str  # DemoCategory.code of the same channel
    subject: str
    description: str
    place: str
    accused: str
    accused_unit: str
    when: str
    evidence: str
    witnesses: str
    remedy: str
    names_executive: bool = False


DEMO_UNITS: tuple[DemoUnit, ...] = (
    DemoUnit("office", "สำนักปลัดเทศบาล", "Office of the Municipal Permanent Secretary (complaint centre)", False,
             "หัวหน้าฝ่ายอำนวยการ (ศูนย์รับเรื่องร้องเรียน)", "Head of General Administration (complaint centre)",
             "0 0000 0000 ต่อ 101"),
    DemoUnit("legal", "งานนิติการ สำนักปลัดเทศบาล", "Legal Affairs Unit", True,
             "นิติกร", "Legal officer", "0 0000 0000 ต่อ 105"),
    DemoUnit("personnel", "งานบริหารงานบุคคล สำนักปลัดเทศบาล", "Personnel Administration Unit", False),
    DemoUnit("finance", "กองคลัง", "Finance Division", False),
    DemoUnit("supplies", "งานพัสดุ กองคลัง", "Procurement and Supplies Unit", False),
    DemoUnit("works", "กองช่าง", "Public Works Division", False),
    DemoUnit("education", "กองการศึกษา", "Education Division", False),
    DemoUnit("audit", "หน่วยตรวจสอบภายใน", "Internal Audit Unit", False),
)

DEMO_CATEGORIES: tuple[DemoCategory, ...] = (
    DemoCategory("infrastructure", "general", "ด้านโครงสร้างพื้นฐาน", "Infrastructure",
                 "ถนน ทางเท้า สะพาน ไฟฟ้าส่องสว่าง (ไฟถนน) ท่อระบายน้ำ น้ำท่วมขัง น้ำประปา",
                 "roads, footpaths, bridges, street lights, drains, standing floodwater, piped water"),
    DemoCategory("quality_of_life", "general", "ด้านงานส่งเสริมคุณภาพชีวิต", "Quality of life and welfare",
                 "เบี้ยยังชีพผู้สูงอายุและคนพิการ ศูนย์พัฒนาเด็กเล็ก สาธารณสุข โรคติดต่อ",
                 "old-age and disability allowances, child development centres, public health, infectious disease"),
    DemoCategory("public_order", "general", "ด้านการจัดระเบียบชุมชน/สังคม และการรักษาความสงบเรียบร้อย", "Community order and public peace",
                 "เหตุเดือดร้อนรำคาญ (เสียงดัง กลิ่น ควัน) สุนัขจรจัด จอดรถกีดขวาง แผงลอยบนทางเท้า",
                 "nuisances (noise, smells, smoke), stray dogs, obstructive parking, stalls on footpaths"),
    DemoCategory("planning", "general", "ด้านการวางแผน การส่งเสริมการลงทุน พาณิชยกรรม และการท่องเที่ยว", "Planning, investment, commerce and tourism",
                 "ใบอนุญาตก่อสร้าง ผังเมือง ตลาด การค้า การท่องเที่ยว",
                 "building permits, town planning, markets, trade, tourism"),
    DemoCategory("environment", "general", "ด้านการบริหารจัดการและการอนุรักษ์ทรัพยากรธรรมชาติ สิ่งแวดล้อม", "Natural resources and environment",
                 "การเผาในที่โล่ง ฝุ่นควัน น้ำเสีย การบุกรุกที่สาธารณะ ต้นไม้ในที่สาธารณะ",
                 "open burning, dust and smoke, waste water, encroachment on public land, trees in public places"),
    DemoCategory("education_culture", "general", "ด้านการศึกษา ศาสนา ศิลปะ วัฒนธรรม จารีตประเพณีและภูมิปัญญาท้องถิ่น", "Education, religion, arts, culture and local wisdom",
                 "โรงเรียนในสังกัด งานประเพณี ศาสนสถาน ห้องสมุด",
                 "the municipality's schools, traditional festivals, religious sites, libraries"),
    DemoCategory("garbage", "general", "การจัดการขยะ", "Garbage collection",
                 "ขยะไม่ได้เก็บ ถังขยะ ค่าธรรมเนียมเก็บขยะ ทิ้งขยะในที่สาธารณะ",
                 "uncollected rubbish, bins, collection fees, dumping in public places"),
    DemoCategory("finance", "general", "การเงินการคลัง", "Finance and treasury",
                 "ภาษีที่ดินและสิ่งปลูกสร้าง ภาษีป้าย ค่าธรรมเนียม การรับชำระเงิน",
                 "land and building tax, signboard tax, fees, payments"),
    DemoCategory("service_delay", "general", "การให้บริการล่าช้าหรือไม่เป็นธรรม", "Slow or unfair service",
                 "รอนาน เรื่องไม่คืบหน้า ถูกปฏิเสธโดยไม่บอกเหตุผล",
                 "long waits, no progress, refused without a reason"),
    DemoCategory("staff_conduct", "general", "พฤติกรรมการให้บริการของเจ้าหน้าที่", "Staff conduct",
                 "พูดจาไม่สุภาพ ไม่อยู่ประจำที่ทำงาน ไม่ให้บริการ",
                 "rudeness, nobody at the desk, service refused"),
    DemoCategory("information", "general", "การขอข้อมูลข่าวสารของราชการ", "Official information request",
                 "ขอดูหรือขอสำเนาเอกสารของราชการแล้วไม่ได้รับ",
                 "asked to see or copy official documents and did not get them"),
    DemoCategory("other_general", "general", "เรื่องอื่น ๆ", "Other matters"),
    DemoCategory("procurement", "corruption", "การจัดซื้อจัดจ้าง/ผลประโยชน์ทับซ้อน", "Procurement and conflict of interest",
                 "ฮั้วประมูล กำหนดคุณสมบัติเอื้อผู้รับจ้างรายเดียว งานไม่ตรงแบบ ผู้บริหารหรือญาติเป็นคู่สัญญา",
                 "bid rigging, specifications written for one contractor, work not built to plan, officials or their relatives as contractors"),
    DemoCategory("bribery", "corruption", "การเรียกรับสินบน", "Bribery",
                 "เรียกเงินเพื่อออกใบอนุญาต หรือเพื่อให้เรื่องเสร็จเร็วขึ้น",
                 "money demanded for a permit or for faster handling"),
    DemoCategory("property_misuse", "corruption", "การนำทรัพย์สินของทางราชการไปใช้ประโยชน์ส่วนตัว", "Misuse of government property",
                 "ใช้รถ เครื่องมือ น้ำมัน หรือวัสดุของราชการเป็นของส่วนตัว",
                 "official vehicles, tools, fuel or supplies used privately"),
    DemoCategory("false_claims", "corruption", "การเบิกจ่ายเป็นเท็จ", "False claims",
                 "เบิกค่าเดินทาง ค่าล่วงเวลา หรือค่าจ้าง โดยไม่ได้ทำงานจริง",
                 "travel, overtime or wages claimed for work not done"),
    DemoCategory("hr_corruption", "corruption", "การทุจริตในการบริหารงานบุคคล/การคัดเลือกบุคคล", "HR and recruitment corruption",
                 "เรียกเงินเพื่อบรรจุหรือเลื่อนตำแหน่ง การสอบคัดเลือกไม่โปร่งใส",
                 "money demanded for a job or a promotion, rigged selection"),
    DemoCategory("abuse_of_position", "corruption", "การใช้ตำแหน่งหน้าที่โดยมิชอบ", "Abuse of position",
                 "ใช้อำนาจกลั่นแกล้งผู้อื่น หรือเอื้อประโยชน์แก่พวกพ้อง",
                 "power used to harass someone or to favour associates"),
    DemoCategory("gifts", "corruption", "การรับของขวัญหรือประโยชน์อื่นใด (No Gift Policy)", "Gifts and benefits (No Gift Policy)",
                 "รับของขวัญหรือเงินจากผู้รับจ้างหรือผู้มาติดต่อราชการ",
                 "gifts or money taken from contractors or people with business at the office"),
    DemoCategory("dereliction", "corruption", "การละเว้นการปฏิบัติหน้าที่", "Dereliction of duty",
                 "รู้แล้วไม่ดำเนินการตามหน้าที่ เช่น ไม่ตรวจรับงาน ไม่บังคับใช้กฎหมาย",
                 "knowing and not acting, such as not inspecting delivered work or not enforcing the law"),
    DemoCategory("other_corruption", "corruption", "การทุจริตและประพฤติมิชอบอื่น ๆ", "Other corruption or misconduct"),
)

DEMO_COMPLAINTS: tuple[DemoComplaint, ...] = (
    # §5.1 corruption channel (items 1, 2, 4, 5, 6, 8)
    DemoComplaint(
        "corruption", "complaint", "procurement", "กำหนดคุณสมบัติผู้เสนอราคาเอื้อผู้รับจ้างรายเดียว",
        "คณะกรรมการจัดซื้อจัดจ้างโครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ ๕ กำหนดคุณสมบัติผู้เสนอราคาให้มีผู้ผ่านได้เพียงรายเดียว และผู้ชนะเป็นห้างหุ้นส่วนที่ญาติของเจ้าหน้าที่กองช่างเป็นหุ้นส่วน",
        "หมู่ที่ 5", "คณะกรรมการจัดซื้อจัดจ้างโครงการถนน คสล.", "works", "ปีงบประมาณปัจจุบัน",
        "ประกาศประกวดราคาและหนังสือรับรองห้างหุ้นส่วน", "", "ขอให้ตรวจสอบการกำหนดคุณสมบัติและความสัมพันธ์กับผู้ชนะ"),
    DemoComplaint(
        "corruption", "complaint", "bribery", "เรียกค่าดำเนินการใบอนุญาตก่อสร้างโดยไม่มีใบเสร็จ",
        "เจ้าหน้าที่แจ้งว่าถ้าต้องการให้ใบอนุญาตก่อสร้างอาคารออกภายในสัปดาห์นี้ ต้องจ่ายค่าดำเนินการเพิ่ม ๓,๐๐๐ บาท โดยไม่มีใบเสร็จ",
        "", "เจ้าหน้าที่ผู้รับคำขออนุญาตก่อสร้าง (ไม่ทราบชื่อ)", "works", "สัปดาห์นี้",
        "", "", "ขอให้ออกใบอนุญาตตามขั้นตอนปกติและตรวจสอบเจ้าหน้าที่"),
    DemoComplaint(
        "corruption", "tip", "property_misuse", "นำรถยนต์ส่วนกลางไปใช้ขนของส่วนตัว",
        "พบรถยนต์บรรทุกส่วนกลางของ อบต. ทะเบียนราชการ ถูกนำไปขนวัสดุก่อสร้างไปบ้านพักส่วนตัวของเจ้าหน้าที่ในวันเสาร์ที่ 12",
        "", "เจ้าหน้าที่ผู้ใช้รถส่วนกลาง (ไม่ทราบชื่อ)", "office", "วันเสาร์ที่ 12",
        "ภาพถ่ายรถยนต์ 2 ภาพ", "", ""),
    DemoComplaint(
        "corruption", "tip", "false_claims", "เบิกค่าล่วงเวลาโดยไม่ได้ปฏิบัติงานจริง",
        "มีการเบิกค่าทำงานล่วงเวลาช่วงงานประเพณีประจำปี ทั้งที่เจ้าหน้าที่บางรายไม่ได้มาปฏิบัติงานจริง",
        "", "เจ้าหน้าที่บางราย", "", "ช่วงงานประเพณีประจำปี", "", "", ""),
    DemoComplaint(
        "corruption", "complaint", "hr_corruption", "คนกลางเรียกเงินเพื่อให้ได้รับการคัดเลือก",
        "มีคนกลางเรียกรับเงิน ๕๐,๐๐๐ บาท โดยอ้างว่าจะทำให้ได้รับการคัดเลือกเป็นพนักงานจ้างตามภารกิจ",
        "", "คนกลาง (ไม่ทราบชื่อ)", "personnel", "ช่วงรับสมัครพนักงานจ้าง",
        "ข้อความสนทนาทางโทรศัพท์", "", "ขอให้ตรวจสอบกระบวนการคัดเลือก"),
    DemoComplaint(
        "corruption", "tip", "gifts", "ผู้รับจ้างมอบกระเช้าและซองเงินให้กรรมการตรวจรับ",
        "หลังการตรวจรับงานจ้างขุดลอกคลองหมู่ ๘ ผู้รับจ้างนำกระเช้าและซองเงินมามอบให้กรรมการตรวจรับงานจ้างที่สำนักงาน",
        "หมู่ที่ 8", "คณะกรรมการตรวจรับงานจ้างขุดลอกคลอง", "works", "หลังวันตรวจรับงาน", "", "", ""),
    # Written for the demo from §2.17 (000:L478; 001:L62, L1680; 000:L313–L318, L338–L340)
    DemoComplaint(
        "corruption", "tip", "dereliction", "ผู้ควบคุมงานลงนามรับรองโดยไม่ตรวจหน้างาน",
        "ผู้ควบคุมงานก่อสร้างรางระบายน้ำ ชุมชน ๓ ไม่เคยมาตรวจหน้างานเลย แต่ลงลายมือชื่อรับรองผลงานครบทั้ง 3 งวด",
        "ชุมชน 3", "ผู้ควบคุมงานก่อสร้าง (ไม่ทราบชื่อ)", "works", "ระหว่างการก่อสร้าง", "", "", ""),
    DemoComplaint(
        "corruption", "complaint", "abuse_of_position", "นายกเทศมนตรีสั่งการให้เลือกผู้รับจ้างที่เป็นพวกพ้อง",
        "นายกเทศมนตรีสั่งการด้วยวาจาให้คณะกรรมการจัดซื้อจัดจ้างโครงการปรับปรุงสวนสาธารณะเลือกบริษัทของพวกพ้อง และให้เจ้าหน้าที่ไปช่วยงานส่วนตัวในเวลาราชการ",
        "", "นายกเทศมนตรี", "", "เดือนที่แล้ว", "", "เจ้าหน้าที่ที่ได้รับคำสั่ง 2 ราย",
        "ขอให้ตรวจสอบโดยผู้ที่ไม่อยู่ในสายบังคับบัญชาของผู้ถูกร้อง", names_executive=True),
    # §5.2 general channel (items 10, 11, 12, 14, 15, 16, 18, 19)
    DemoComplaint(
        "general", "grievance", "infrastructure", "ถนนลูกรังเป็นหลุมบ่อ น้ำท่วมขัง",
        "ถนนลูกรังสายหมู่ 2 ไปหมู่ ๗ เป็นหลุมบ่อลึก น้ำท่วมขังหลังฝนตก รถจักรยานยนต์ล้มบ่อย ขอให้ปรับปรุงซ่อมแซม",
        "หมู่ที่ 2", "", "works", "หลังฝนตก", "ภาพถ่ายหลุมบ่อ", "", "ปรับปรุงซ่อมแซมถนน"),
    DemoComplaint(
        "general", "grievance", "infrastructure", "ไฟฟ้าส่องสว่างสาธารณะดับ",
        "ไฟฟ้าส่องสว่างสาธารณะหน้าศูนย์พัฒนาเด็กเล็กดับ ๕ ดวง มาเกือบหนึ่งเดือน",
        "หมู่ที่ 3", "", "works", "เกือบหนึ่งเดือน", "", "", "ซ่อมไฟฟ้าส่องสว่าง"),
    DemoComplaint(
        "general", "grievance", "garbage", "รถเก็บขยะไม่มาตามกำหนด",
        "รถเก็บขยะไม่มาเก็บตามกำหนดมา ๒ สัปดาห์ ขยะล้นถังหน้าตลาดชุมชนและส่งกลิ่นเหม็น",
        "ชุมชนตลาด", "", "office", "2 สัปดาห์ที่ผ่านมา", "", "", "เก็บขยะตามกำหนด"),
    DemoComplaint(
        "general", "complaint", "service_delay", "คำร้องเบี้ยยังชีพผู้สูงอายุล่าช้า",
        "ยื่นคำร้องขอรับเบี้ยยังชีพผู้สูงอายุตั้งแต่เดือนที่แล้ว เกินระยะเวลาที่ประกาศไว้ในคู่มือประชาชนแล้วยังไม่ได้รับแจ้งผล",
        "หมู่ที่ 4", "", "office", "เดือนที่แล้ว", "สำเนาคำร้อง", "", "แจ้งผลการพิจารณาคำร้อง"),
    DemoComplaint(
        "general", "grievance", "public_order", "ร้านคาราโอเกะเปิดเสียงดังเกินเที่ยงคืน",
        "ร้านคาราโอเกะในชุมชนเปิดเสียงดังเกินเที่ยงคืนทุกคืน รบกวนการพักผ่อนของผู้สูงอายุและเด็ก",
        "ชุมชนหนองบัว", "", "office", "ทุกคืน", "", "เพื่อนบ้านใกล้เคียง", "ควบคุมเสียงและเวลาเปิดร้าน"),
    DemoComplaint(
        "general", "grievance", "education_culture", "หลังคาศูนย์พัฒนาเด็กเล็กรั่ว",
        "หลังคาอาคารศูนย์พัฒนาเด็กเล็กรั่ว ฝนตกแล้วน้ำหยดลงห้องนอนเด็ก",
        "หมู่ที่ 3", "", "education", "เมื่อฝนตก", "ภาพถ่ายรอยรั่ว", "", "ซ่อมแซมหลังคา"),
    DemoComplaint(
        "general", "complaint", "information", "ไม่เผยแพร่สรุปผลการจัดซื้อจัดจ้างรายเดือน",
        "เว็บไซต์ของหน่วยงานไม่ได้ลงสรุปผลการจัดซื้อจัดจ้างรายเดือนมา ๓ เดือนแล้ว ขอให้เผยแพร่ตามกฎหมาย",
        "", "", "supplies", "3 เดือนที่ผ่านมา", "", "", "เผยแพร่สรุปผลการจัดซื้อจัดจ้างรายเดือน"),
    DemoComplaint(
        "general", "complaint", "finance", "ได้รับหนังสือทวงถามค่าขยะทั้งที่ชำระแล้ว",
        "ชำระค่าธรรมเนียมเก็บขนขยะแล้วแต่ยังได้รับหนังสือทวงถามซ้ำ ขอให้ตรวจสอบใบเสร็จ",
        "", "", "finance", "", "สำเนาใบเสร็จรับเงิน", "", "ตรวจสอบใบเสร็จและยกเลิกหนังสือทวงถาม"),
)

DEMO_IDENTITIES: tuple[dict[str, str], ...] = (
    dict(name="นางสาวสมใจ ทดสอบ", phone="081-000-0001", email="somjai@example.org",
         address="1 หมู่ที่ 2 ตำบลตัวอย่าง อำเภอเมืองตัวอย่าง จังหวัดตัวอย่าง"),
    dict(name="นายมานะ ตัวอย่าง", phone="082-000-0002", email="mana@example.org",
         address="๒๒ หมู่ที่ ๓ ตำบลตัวอย่าง อำเภอเมืองตัวอย่าง จังหวัดตัวอย่าง"),
    dict(name="นางมาลี สมมุติ", phone="083-000-0003", email="malee@example.org",
         address="33/1 ชุมชนตลาด ตำบลตัวอย่าง อำเภอเมืองตัวอย่าง จังหวัดตัวอย่าง"),
    dict(name="นายทองดี ทดลอง", phone="084-000-0004", email="thongdee@example.org",
         address="44 หมู่ที่ 5 ตำบลตัวอย่าง อำเภอเมืองตัวอย่าง จังหวัดตัวอย่าง"),
    dict(name="นางสาวกานดา จำลอง", phone="085-000-0005", email="kanda@example.org",
         address="55 ชุมชนหนองบัว ตำบลตัวอย่าง อำเภอเมืองตัวอย่าง จังหวัดตัวอย่าง"),
    dict(name="นายบุญมี สาธิต", phone="086-000-0006", email="boonmee@example.org",
         address="66 หมู่ที่ 8 ตำบลตัวอย่าง อำเภอเมืองตัวอย่าง จังหวัดตัวอย่าง"),
)


def pick(i: int) -> tuple[DemoComplaint, dict[str, str] | None]:
    """Return a deterministic (complaint, identity) pair for demo seed number ``i``.

    The complaint is ``DEMO_COMPLAINTS[i % len(DEMO_COMPLAINTS)]``. General
    complaints always get ``DEMO_IDENTITIES[i % len(DEMO_IDENTITIES)]``.
    Corruption complaints are anonymous (``None``) for even ``i`` and get that
    identity for odd ``i``. The identity is returned as a fresh copy so that
    callers cannot alter the shared fixture.
    """
    complaint = DEMO_COMPLAINTS[i % len(DEMO_COMPLAINTS)]
    identity = dict(DEMO_IDENTITIES[i % len(DEMO_IDENTITIES)])
    if complaint.channel == "corruption" and i % 2 == 0:
        return complaint, None
    return complaint, identity
