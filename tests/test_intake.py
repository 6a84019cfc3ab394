"""Filing through ``file_complaint``: channels, validation, identity, the unstored code, atomicity."""
from __future__ import annotations

import io
import json
import re
import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import event, func, inspect, select

from complaints import thaidate
from complaints.codes import normalize
from complaints.db import insert_new
from complaints.models import (
    Attachment,
    Base,
    Case,
    CaseCounter,
    CaseEvent,
    Category,
    Message,
    OfficeHolder,
    Organization,
    SpentFormToken,
    StaffUser,
)
from complaints.store import vault_of
from complaints.vocab import SOURCES
from complaints.workflow import executives, intake
from complaints.workflow.history import Actor
from complaints.workflow.intake import (
    DuplicateFiling,
    FormToken,
    IncomingFile,
    IntakeError,
    Referral,
    file_complaint,
)
from tests.concurrency import run_in_threads
from tests.conftest import NOW

PERSON = {"name": "สมหญิง รักดี", "phone": "0812345678"}
THAI, ENGLISH = re.compile(r"[\u0e00-\u0e7f]"), re.compile(r"[A-Za-z]{3,}")


def _pdf(name="หลักฐาน.pdf"):
    return IncomingFile(name, "application/pdf", io.BytesIO(b"%PDF-1.4 evidence"))


def _file(session, org, now=NOW, category=None, actor=None, form_token=None, **overrides):
    a = {"channel": "general", "kind": "complaint", "source": "web", "identity": dict(PERSON),
         "story": {"description": "ถนนชำรุดหน้าโรงเรียน"}, "attachments": [_pdf()], **overrides}
    extra = {"actor": actor} if actor else {}
    if form_token:
        extra["form_token"] = form_token
    if a["source"] == "referral":
        extra["referral"] = Referral("nacc", "ปช 0012/345", date(2025, 5, 30))
    if "received_on" in a:
        extra["received_on"] = a.pop("received_on")
    return file_complaint(session, org, a["channel"], a["kind"], a["source"], a["story"], a["identity"],
                          a["attachments"], now, category=category, **extra)


def _blobs(store):
    return sorted(p for p in store.vault.blob_dir.rglob("*") if p.is_file())


def _footprint(store):
    """Row counts of everything filing writes, and the blob files on disk."""
    with store.sessions() as s:
        counts = {m.__tablename__: s.scalar(select(func.count()).select_from(m))
                  for m in (Case, Message, CaseEvent, Attachment, CaseCounter)}
    return counts, _blobs(store)


def _reload(store, case_id):
    with store.sessions() as s:
        case = s.get(Case, case_id)
        case.attachments  # noqa: B018 - load while the session is open
        return case


@pytest.mark.parametrize("channel,kind,identity,source", [
    ("general", "complaint", PERSON, "web"),
    ("general", "grievance", PERSON, "walk_in"),
    ("corruption", "complaint", None, "web"),
    ("corruption", "tip", None, "letter"),
])
def test_each_channel_and_kind_lands_received_with_its_deadline(session, org, store, channel, kind, identity,
                                                                  source):
    with session.begin():
        filing = _file(session, org, channel=channel, kind=kind, identity=identity, source=source)
    case = _reload(store, filing.case.id)
    assert (case.channel, case.kind, case.source, case.state) == (channel, kind, source, "received")
    assert case.anonymous is (identity is None)
    assert case.received_at == (NOW if channel == "general" else datetime(2025, 4, 9, 17, 0, tzinfo=timezone.utc))
    assert case.first_notice_due == date(2025, 4, 25)  # 15 calendar days after Thu 10 Apr 2025
    assert case.next_notice_due == date(2025, 4, 25)
    assert case.fiscal_year == 2568 and case.number == 1


def test_general_and_corruption_cases_are_sealed_under_different_keys(session, org, store):
    with session.begin():
        general = _file(session, org).case
        corruption = _file(session, org, channel="corruption", kind="tip").case
    general, corruption = _reload(store, general.id), _reload(store, corruption.id)
    assert general.story_kek_id != corruption.story_kek_id
    assert general.identity_kek_id != corruption.identity_kek_id
    ring = store.vault.keyring
    assert general.story_kek_id in ring.kids("general", "story")
    assert corruption.story_kek_id in ring.kids("corruption", "story")
    assert corruption.identity_kek_id in ring.kids("corruption", "identity")


INVALID = {
    "unknown channel": ({"channel": "police"}, "channel"),
    "grievance on corruption": ({"channel": "corruption", "kind": "grievance"}, "kind"),
    "tip on general": ({"kind": "tip"}, "kind"),
    "unknown kind": ({"kind": "praise"}, "kind"),
    "unknown source": ({"source": "fax"}, "source"),
    "empty description": ({"story": {"description": ""}}, "description"),
    "whitespace description": ({"story": {"description": " \t\n\u3000 "}}, "description"),
    "no description": ({"story": {"place": "หมู่ที่ 5"}}, "description"),
    "general without identity": ({"identity": None}, "name"),
    "general with name, no contact": ({"identity": {"name": "สมหญิง"}}, "contact"),
    "general with name, blank contact": ({"identity": {"name": "สมหญิง", "phone": "  "}}, "contact"),
    "general with contact, no name": ({"identity": {"phone": "0812345678"}}, "name"),
    "general with contact, blank name": ({"identity": {"name": " ", "email": "a@b.th"}}, "name"),
    "invisible description": ({"story": {"description": "\u200b\u200c\u200d\u00ad"}}, "description"),
    "invisible name": ({"identity": {"name": "\ufeff", "phone": "0812345678"}}, "name"),
    "name of fillers": ({"identity": {"name": "\u3164\u2800\u0e48", "phone": "0812345678"}}, "name"),
    "name of private-use and unassigned": ({"identity": {"name": "\ue000\U0001cbbb", "phone": "0812345678"}}, "name"),
    "invisible contact": ({"identity": {"name": "สมหญิง", "address": "\u200b\u2060", "phone": "\u200e"}}, "contact"),
    "six attachments": ({"attachments": [_pdf(f"{i}.pdf") for i in range(6)]}, "attachments"),
    "category of the other channel": ({}, "category"),
}


@pytest.mark.parametrize("case", list(INVALID))
def test_invalid_filing_raises_a_bilingual_error_and_stores_nothing(session, org, store, case):
    overrides, field = INVALID[case]
    category = None
    if field == "category":
        category = session.scalar(select(Category).where(Category.channel == "corruption"))
        session.commit()
    before = _footprint(store)
    with session.begin():  # commits: nothing may have been written before the error
        with pytest.raises(IntakeError) as raised:
            _file(session, org, category=category, **overrides)
    assert raised.value.field == field
    assert THAI.search(str(raised.value)) and ENGLISH.search(str(raised.value))
    assert _footprint(store) == before


def test_five_attachments_and_a_category_of_the_channel_are_accepted(session, org, store):
    category = session.scalar(select(Category).where(Category.channel == "general"))
    session.commit()
    with session.begin():
        case = _file(session, org, category=category, attachments=[_pdf(f"{i}.pdf") for i in range(5)]).case
    assert len(_reload(store, case.id).attachments) == 5 and case.category_id == category.id


@pytest.mark.parametrize("identity,kept,anonymous", [
    ({"name": "ผู้แจ้ง เบาะแส", "phone": "0899999999"}, {"name": "ผู้แจ้ง เบาะแส", "phone": "0899999999"}, False),
    ({"name": "  ", "phone": "", "email": "\t"}, None, True),  # only blank values: anonymous
    # A name that cannot be verified, or a contact without a name, is still an anonymous letter
    # (บัตรสนเท่ห์, rules.md R5): kept sealed, and flagged for triage all the same.
    ({"name": "ผู้หวังดี"}, {"name": "ผู้หวังดี"}, True),
    ({"name": "", "email": "tip@example.org"}, {"email": "tip@example.org"}, True),
])
def test_corruption_identity_is_sealed_and_unverifiable_identity_is_anonymous(session, org, store, identity, kept,
                                                                              anonymous):
    with session.begin():
        case = _file(session, org, channel="corruption", kind="tip", identity=identity).case
    stored = _reload(store, case.id)
    assert stored.anonymous is anonymous
    assert (stored.identity_ct is None, stored.identity_kek_id is None) == (kept is None, kept is None)
    with store.sessions() as s:
        assert vault_of(s).identity(stored) == kept


def test_every_source_is_accepted_including_staff_keying(session, org, store):
    with session.begin():
        staff = StaffUser(org_id=org.id, username="intake1", display_name="เจ้าหน้าที่รับเรื่อง",
                          password_hash="not-a-real-hash", created_at=NOW)
        session.add(staff)
        session.flush()
        keyed = {src: _file(session, org, source=src,
                            actor=None if src == "web" else Actor("staff", staff.id)).case for src in SOURCES}
    with store.sessions() as s:
        rows = s.execute(select(Case.source, CaseEvent.actor_kind, CaseEvent.actor_id)
                         .join(CaseEvent, CaseEvent.case_id == Case.id)).all()
    assert {r.source for r in rows} == set(SOURCES) and len(rows) == len(SOURCES)
    for r in rows:
        expected = ("complainant", None) if r.source == "web" else ("staff", staff.id)
        assert (r.actor_kind, r.actor_id) == expected
    assert sorted(c.number for c in keyed.values()) == list(range(1, len(SOURCES) + 1))


def _all_values(engine):
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(table.select()):
                for column, value in zip(table.columns, row):
                    yield table.name, column.name, value


def test_the_tracking_code_is_stored_nowhere(session, org, store, engine):
    with session.begin():
        filings = [_file(session, org), _file(session, org, channel="corruption", kind="tip", identity=None)]
    values = list(_all_values(engine))
    # Control: the scan sees text and bytes columns of the new rows.
    assert any(v == "demo" for _, _, v in values)
    assert any(isinstance(v, bytes) and v == filings[0].case.tracking_index for _, _, v in values)
    for filing in filings:
        needles = {filing.tracking_code, normalize(filing.tracking_code)}
        for table, column, value in values:
            if isinstance(value, (bytes, bytearray, memoryview)):
                haystack = bytes(value).upper()
                assert not any(n.encode() in haystack for n in needles), (table, column)
            elif isinstance(value, str):
                assert not any(n in value.upper() for n in needles), (table, column)


def test_receipt_and_file_event_are_written_with_the_case(session, org, store):
    with session.begin():
        case = _file(session, org).case
    with store.sessions() as s:
        [receipt] = s.scalars(select(Message).where(Message.case_id == case.id)).all()
        [event] = s.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
        body = vault_of(s).open_text(case, "message", receipt.id, receipt.body_ct)
    assert (receipt.kind, receipt.author_kind, receipt.created_at) == ("receipt", "system", NOW)
    assert json.loads(body) == {"due": "2025-04-25"}
    assert (event.action, event.seq, event.to_state, event.at) == ("file", 1, "received", NOW)


class _Abort(Exception):
    pass


def test_a_rolled_back_filing_takes_receipt_event_attachments_and_number_with_it(session, org, store):
    before = _footprint(store)
    with pytest.raises(_Abort):
        with session.begin():
            case = _file(session, org, attachments=[_pdf("a.pdf"), _pdf("b.pdf")]).case
            assert session.scalar(select(func.count()).where(Message.case_id == case.id)) == 1
            assert session.scalar(select(func.count()).where(CaseEvent.case_id == case.id)) == 1
            # Files only: another connection would wait on SQLite's write lock held here.
            assert len(_blobs(store)) == len(before[1]) + 2
            raise _Abort
    assert _footprint(store) == before
    with session.begin():
        assert _file(session, org).case.number == 1


def test_a_referred_case_keeps_the_referrers_deadline_as_a_second_clock(session, org, store):
    with session.begin():
        case = _file(session, org, source="referral").case
    assert (case.referral_agency, case.referral_due) == ("nacc", date(2025, 5, 30))
    assert case.first_notice_due == date(2025, 4, 25)  # the organization's own clock still runs
    with session.begin(), pytest.raises(IntakeError) as raised:
        file_complaint(session, org, "general", "complaint", "referral", {"description": "x"},
                       {"name": "ก", "phone": "0810000000"}, [], NOW)
    assert raised.value.field == "referral"


def test_filed_rows_are_attached_complete_and_later_changes_are_saved(session, org, store, engine, monkeypatch):
    """Filing inserts its rows directly and attaches them as loaded: reading any column reads
    nothing back, the event has its database id, and a later change is an ordinary UPDATE."""
    written: list[object] = []

    def keep(session_, *objects):
        written.extend(objects)
        return insert_new(session_, *objects)

    monkeypatch.setattr(intake, "insert_new", keep)
    statements: list[str] = []
    listener = lambda c, cur, stmt, *a: statements.append(stmt.split()[0].upper())  # noqa: E731
    with session.begin():
        case = _file(session, org, attachments=[_pdf("a.pdf")]).case
        event.listen(engine, "before_cursor_execute", listener)
        try:
            columns = {attr.key: getattr(case, attr.key) for attr in inspect(Case).column_attrs}
            case_, attachment, receipt, chained = written
            values = [getattr(obj, attr.key) for obj in written[1:] for attr in inspect(type(obj)).column_attrs]
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert statements == []  # nothing was read back
        assert case_ is case and all(inspect(obj).persistent for obj in written) and not session.dirty
        assert columns["state"] == "received" and columns["overdue"] is False and columns["unit_id"] is None
        assert attachment.uploaded_by == "complainant" and attachment.message_id is None and len(values) > 20
        assert receipt.kind == "receipt" and chained.id is not None and case.audit_head == chained.hash
        case.overdue = True
    with store.sessions() as s:
        stored = s.get(Case, case.id)
        assert stored.overdue is True and stored.event_count == 1 and stored.audit_head == case.audit_head
        assert s.get(CaseEvent, chained.id).case_id == case.id


def test_a_rolled_back_filing_leaves_the_session_and_the_next_one_files(session, org, store, monkeypatch):
    written: list[object] = []

    def keep(session_, *objects):
        written.extend(objects)  # held here, so the session's weak identity map keeps them too
        return insert_new(session_, *objects)

    monkeypatch.setattr(intake, "insert_new", keep)
    with pytest.raises(_Abort):
        with session.begin():
            _file(session, org)
            raise _Abort
    assert written and not any(obj in session for obj in written)
    with session.begin():  # on SQLite the event's rowid is reused: no clash with a ghost object
        second = _file(session, org)
    assert second.case.number == 1 and second.case in session


def test_insert_new_takes_only_new_objects(session, org):
    with session.begin():
        case = _file(session, org).case
        with pytest.raises(ValueError, match="only new objects"):
            insert_new(session, case)


TOKEN = FormToken(b"t" * 32, NOW + timedelta(hours=2))


def test_a_form_token_files_once_and_a_second_filing_with_it_keeps_nothing(session, org, store):
    with session.begin():
        first = _file(session, org, form_token=TOKEN).case
    before = _footprint(store)
    with pytest.raises(DuplicateFiling):
        with session.begin():
            _file(session, org, form_token=TOKEN, attachments=[_pdf("again.pdf")])
    assert _footprint(store) == before
    assert session.scalars(select(SpentFormToken.digest)).all() == [TOKEN.digest]
    session.rollback()
    with session.begin():  # another form files, and numbering goes on from the first
        assert _file(session, org, form_token=FormToken(b"u" * 32, TOKEN.keep_until)).case.number == first.number + 1


def test_a_spent_form_token_is_refused_without_a_failed_statement(session, org):
    # PostgreSQL logs every failed statement with its millisecond and key, and the token's row
    # shares the case's transaction id: a refused resend must not be a unique violation. After a
    # failed statement PostgreSQL refuses everything else in the transaction; here it goes on.
    with session.begin():
        _file(session, org, form_token=TOKEN)
    with session.begin():
        with pytest.raises(DuplicateFiling):
            intake._spend(session, TOKEN)
        assert session.scalar(select(func.count()).select_from(SpentFormToken)) == 1


def test_two_racing_filings_of_one_form_file_once(store, org):
    # A double click sends the same form twice before the first answer sets the new cookie.
    barrier, outcomes, lock = threading.Barrier(2), [], threading.Lock()

    def click():
        try:
            with store.sessions() as s:
                barrier.wait(timeout=30)
                with s.begin():
                    outcome = _file(s, s.get(Organization, org.id), form_token=TOKEN).case.number
        except DuplicateFiling as exc:
            outcome = exc
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcome = repr(exc)
        with lock:
            outcomes.append(outcome)

    run_in_threads(click, 2, timeout=60)
    assert len(outcomes) == 2 and 1 in outcomes, outcomes
    assert sum(isinstance(o, DuplicateFiling) for o in outcomes) == 1, outcomes
    counts, blobs = _footprint(store)
    assert counts["case"] == 1 and len(blobs) == 1


def test_a_corruption_report_is_received_on_its_day_only_and_a_general_one_to_the_second(session, org, store):
    # 02:30 UTC is 09:30 in Bangkok: the corruption report keeps only Bangkok's midnight, in every
    # row that says when it came (case, receipt, first event, attachment).
    midnight = NOW.replace(hour=0, minute=0) - timedelta(hours=7)
    with session.begin():  # the general one first: its file could share the folder
        general = _file(session, org).case
        corruption = _file(session, org, channel="corruption", identity=None).case
    events = {e.case_id: e.at for e in session.scalars(select(CaseEvent))}
    messages = {m.case_id: m.created_at for m in session.scalars(select(Message))}
    files = {a.case_id: a.created_at for a in session.scalars(select(Attachment))}
    for stamps in (events, messages, files):
        assert stamps[corruption.id] == midnight and stamps[general.id] == NOW
    assert corruption.received_at == midnight and general.received_at == NOW
    # The encrypted file on disk says no more (its modification time is the day too).
    attachment = session.scalars(select(Attachment).where(Attachment.case_id == corruption.id)).one()
    blob = store.vault.blob_path(attachment.id)
    assert blob.stat().st_mtime == blob.parent.stat().st_mtime == midnight.timestamp()
    assert corruption.first_notice_due == general.first_notice_due  # the same day's deadline


def test_neither_a_report_nor_a_refused_one_leaves_its_moment_on_the_blob_folders(session, org, store):
    # Making a fan-out folder set the blob root's time to the filing's, and removing a refused
    # report's file set its folder's: both were the exact moment of a corruption report.
    midnight = NOW.replace(hour=0, minute=0) - timedelta(hours=7)
    with session.begin():
        _file(session, org)  # a general complaint: the 256 folders exist from now on
    root = store.vault.blob_dir
    assert len([p for p in root.iterdir() if p.is_dir()]) == 256
    before = root.stat().st_mtime_ns
    with session.begin():
        _file(session, org, channel="corruption", identity=None)
    assert root.stat().st_mtime_ns == before
    kept = set(session.scalars(select(Attachment.id)))
    session.rollback()
    with pytest.raises(DuplicateFiling), session.begin():
        _file(session, org, channel="corruption", identity=None)
        (refused,) = set(session.scalars(select(Attachment.id))) - kept
        raise DuplicateFiling("refused after its file was written")
    folder = store.vault.blob_path(refused).parent
    assert not any(folder.glob(f"{refused.hex}*")) and folder.stat().st_mtime == midnight.timestamp()


def test_a_first_filing_leaves_its_day_not_its_moment_on_every_fan_out_folder(session, org, store):
    # The 256 folders are made at the first write; the 255 it did not write into kept the
    # moment they were made, which a first corruption report's filing was.
    midnight = NOW.replace(hour=0, minute=0) - timedelta(hours=7)
    with session.begin():
        _file(session, org, channel="corruption", identity=None)
    folders = [p for p in store.vault.blob_dir.iterdir() if p.is_dir()]
    assert len(folders) == 256
    assert {folder.stat().st_mtime for folder in folders} == {midnight.timestamp()}


@pytest.mark.parametrize("accused, flagged", [
    ({"accused": "นายกเทศมนตรี"}, True),
    ({"accused": "นายก อบต.หนองบัว"}, True),
    ({"accused": "นายกอบตหนองบัว"}, True),
    ({"accused": "รองนายกฯ ฝ่ายโยธา"}, True),
    ({"accused": "วิชัย", "accused_unit": "สมาชิกสภาเทศบาล เขต 2"}, True),  # someone named: the story is not read
    ({"accused": "ส.อบต. หมู่ 3"}, True),
    ({"accused": "the Mayor"}, True),
    ({"accused": "นายก"}, True),
    ({"accused": "(นายก), รองนายก"}, True),
    ({"accused": "นายกเทศบาลตำบลตัวอย่าง"}, True),
    ({"accused": "นายก.อบต."}, True),
    ({"accused": "สท. สมชาย"}, True),
    ({"accused": "ส.ท สมชาย"}, True),
    ({"accused": "วิชัย", "accused_unit": "ประธานสภาเทศบาล"}, True),
    ({"accused": "สจ."}, True),
    ({"accused": "นายกมล ใจดี", "accused_unit": "กองช่าง"}, False),  # Mr Kamon, not a mayor
    ({"accused": "ปลัดเทศบาล"}, False),
    ({"accused": "ประธานสภาองค์กรชุมชน"}, False),  # councils that are not the local council
    ({"accused": "สมาชิกสภาผู้แทนราษฎร"}, False),
    ({"accused": "ประธานสภานักเรียน"}, False),
    ({"accused": "CEO (chief executive) of the contractor"}, False),
    ({"accused": "ผู้ใหญ่บ้าน"}, False),
    ({"accused": "นายกสมาคมผู้ปกครอง"}, False),
    ({"accused": "นายกอบจิตต์ ใจดี"}, False),  # Mr Kobchit
    ({"accused": "คนที่ฉวยโอกาสที่ทำงาน", "accused_unit": "รสทิพย์ พัสดุสท้าน"}, False),  # ส+ท inside words
    ({"accused": "หุ้นส่วนผู้จัดการ", "accused_unit": "หจก.สท.ก่อสร้าง"}, False),  # a company's initials
    ({"accused": "(สท.)"}, True),
    ({"accused": "สมาชิกสภาฯ วิชัย"}, True),  # as people shorten the council's name
    ({"accused": "ประธานสภา"}, True),
    ({"accused": "ประธานสภาฯ"}, True),
    ({"accused": "ประธานสภา อบต."}, True),
    ({"accused": "รองประธานสภาฯ"}, True),
    ({"accused": "สมาชิก อบต."}, True),
    ({"accused": "สมาชิกเทศบาล"}, True),
    ({"accused": "นายกเล็ก"}, True),
    ({"accused": "นายกตำบล"}, True),
    ({"accused": "นายกคนใหม่"}, True),
    ({"accused": "นายก(สมปอง)"}, True),
    ({"accused": "รองฯ ประจักษ์"}, True),
    ({"accused": "ผู้บริหารเทศบาล"}, True),
    ({"accused": "คณะผู้บริหาร"}, True),
    ({"accused": "วิชัย", "accused_unit": "สภาเทศบาล"}, True),  # the council itself
    ({"accused": "นายกคนึง ใจดี"}, False),  # Mr Kanueng
    ({"accused": "เจ้าหน้าที่พัสดุ", "accused_unit": "กองคลัง"}, False),
    ({"accused": "นายกกับปลัด"}, True),  # the title run into a joining word or a verb
    ({"accused": "นายกและพวก"}, True),
    ({"accused": "นายกสั่งการ"}, True),
    ({"accused": "นายกเรียกเงิน"}, True),
    ({"accused": "นายกสิณ มั่นคง"}, False),  # Mr Kasin
    ({"accused": "นายกร ศรีดี"}, False),  # Mr Korn
    ({"accused": "นายกวี ใจงาม"}, False),  # Mr Kawi
    ({"accused": "นายกนก ดีงาม"}, False),  # Mr Kanok
    ({"accused": "นายก\u200bเทศมนตรี"}, True),
    ({"accused": "ผู้บริหาร"}, True),  # the executives as a body
    ({"accused": "ฝ่ายบริหาร"}, True),
    ({"accused": "หัวหน้าฝ่ายบริหารงานทั่วไป"}, False),  # a section of a division
    ({"accused": "ปลัด", "accused_unit": "อบต.ท่าช้าง จ.นครนายก"}, False),
    ({"accused": "รองนายกรัฐมนตรี"}, False),
    # Titles written in English or romanized, as some reporters type them.
    ({"accused": "nayok somchai"}, True),
    ({"accused": "council member"}, True),
    ({"accused": "Councillor Somchai"}, True),
    ({"accused": "local council"}, True),
    # The mayor's political staff. Run into a name, "นายก" alone would not count (Mr Kasomchai?):
    # only the staff title before it says who.
    ({"accused": "ที่ปรึกษานายก"}, True),
    ({"accused": "ที่ปรึกษานายกสมชาย"}, True),
    ({"accused": "เลขานุการนายกวิรัตน์"}, True),
    # The local council by each of its names (in "accused": with it blank, the story's "นายก" would flag).
    ({"accused": "สมาชิกสภาองค์การบริหารส่วนตำบล"}, True),
    ({"accused": "สภาจังหวัด"}, True),
    ({"accused": "สภาตำบล"}, True),
    ({"accused": "สภาท้องถิ่น"}, True),
    ({"accused": "สภาเมือง"}, True),
    ({"accused": "สภานคร"}, True),
])
def test_a_report_whose_accused_fields_name_an_executive_or_councillor_is_flagged(session, org, store,
                                                                                   accused, flagged):
    with session.begin():
        # A title in the story says nothing more once the accused fields say who.
        story = {"description": "เรียกรับเงิน แจ้งนายกแล้วแต่เงียบ", **accused}
        case = _file(session, org, channel="corruption", identity=None, story=story).case
        general = _file(session, org, story=story).case
    assert case.names_executive is flagged and general.names_executive is False


@pytest.mark.parametrize("story, flagged", [
    ({"description": "นายกฯ เรียกรับเงินค่าใบอนุญาต"}, True),
    ({"accused": "", "accused_unit": " - ", "description": "นายกกับปลัดร่วมกันเรียกเงิน"}, True),
    ({"description": "รองนายกสั่งให้แก้ราคากลาง"}, True),
    ({"description": "ส.อบต. หมู่ 3 รับเงินผู้รับเหมา"}, True),
    ({"description": "แจ้งนายกแล้วแต่เงียบ"}, True),  # the only official the report names
    ({"description": "สมาชิกสภาเทศบาลเขต 2 ล็อกสเปก"}, True),
    ({"description": "เจ้าหน้าที่กองคลังเรียกเงินในห้องประชุมสภาเทศบาล"}, False),  # the council's room
    ({"description": "นายกมล ใจดี เจ้าหน้าที่พัสดุ เรียกรับเงิน"}, False),  # Mr Kamon
    ({"description": "นายกสมาคมผู้ปกครองเก็บเงินเกินจริง"}, False),
    ({"accused": "เจ้าหน้าที่กองคลัง", "description": "นายกฯ เรียกรับเงิน"}, False),  # the accused fields say who
    ({"description": "เรียกเงิน", "place": "หน้าบ้านนายกฯ", "evidence": "ส.ท. เห็น"}, False),  # not where it says who
    # "I don't know", or only the unit or the organization: the accused field names no one.
    ({"accused": "ไม่ทราบชื่อ", "description": "นายกฯ เรียกรับเงิน"}, True),
    ({"accused": "ไม่ระบุ", "description": "นายกฯ เรียกรับเงิน"}, True),
    ({"accused": "ไม่รู้", "description": "นายกฯ เรียกรับเงิน"}, True),
    ({"accused": "ไม่แน่ใจ", "description": "นายกฯ เรียกรับเงิน"}, True),
    ({"accused": "ไม่มี", "description": "นายกฯ เรียกรับเงิน"}, True),
    ({"accused": "unknown", "description": "นายกฯ เรียกรับเงิน"}, True),
    ({"accused": "None", "description": "นายกฯ เรียกรับเงิน"}, True),
    ({"accused": "N/A", "description": "นายกฯ เรียกรับเงิน"}, True),
    ({"accused_unit": "เทศบาลตำบลบ้านนา", "description": "นายกฯ เรียกรับเงิน"}, True),
    ({"description": "นายก\u200bรับเงินผู้รับเหมา"}, True),  # a zero-width space pasted from a chat
    ({"description": "นายกคนนี้ล็อกสเปก"}, True),
    ({"description": "นายกมาเรียกเงินเอง"}, True),
    ({"description": "ประธานสภาเรียกเงิน"}, True),
    ({"description": "นายก อ.บ.ต. รับเงิน"}, True),
    ({"description": "ผู้รับเหมาจาก จ.นครนายก เรียกเงิน"}, False),  # the province
    ({"description": "ส่งเรื่องถึงสำนักนายกฯ และนายกรัฐมนตรีแล้ว ปลัดยังเรียกเงิน"}, False),
    ({"description": "คณะผู้บริหารโรงเรียนเรียกเงินแป๊ะเจี๊ยะ"}, False),
    ({"description": "สมาชิกสภาเด็กและเยาวชนเก็บเงิน"}, False),
    ({"description": "นายกเหล่ากาชาดจังหวัดเก็บเงิน"}, False),
])
def test_a_report_that_leaves_the_accused_blank_is_flagged_by_a_title_in_its_story(session, org, store,
                                                                                   story, flagged):
    with session.begin():
        case = _file(session, org, channel="corruption", identity=None, story=story).case
        general = _file(session, org, story={"subject": "ร้องเรียน", **story}).case
    assert case.names_executive is flagged and general.names_executive is False


@pytest.mark.parametrize("story, flagged", [
    ({"accused": "สมปอง ตัวอย่างดี"}, True),  # the mayor, by name and without a title
    ({"accused": "นายสมปอง   ตัวอย่างดี ผู้สั่งการ"}, True),  # honorific, spaces
    ({"accused_unit": "สมปอง\u200bตัวอย่างดี"}, True),  # a zero-width space inside
    ({"accused": "นายกสมปอง"}, True),  # as people write of a mayor: the title run into the first name
    ({"accused": "นายกฯสมปอง"}, True),
    ({"accused": "ประจักษ์ทดลองงาน"}, True),  # the deputy, stored as นางสาวประจักษ์ ทดลองงาน
    ({"accused": "ประจักษ์-ทดลองงาน"}, True),
    ({"accused": "วิชัย ตัวอย่างย\u0e48\u0e34ง"}, True),  # tone mark typed before the vowel above
    ({"accused": "เจ้าหน้าที่กองคลัง", "description": "นายกสมปอง ตัวอย่างดี สั่งให้รับเงิน"}, True),
    ({"accused": "เจ้าหน้าที่กองคลัง", "witnesses": "นายวิชัย ตัวอย่างยิ่ง"}, True),  # named anywhere
    ({"accused": "อนันต์ เคยดี"}, True),  # a former mayor: reports on his time in office go to NACC too
    ({"accused": "นายสมปอง ใจดี"}, False),  # another สมปอง
    ({"accused": "ตัวอย่างดี"}, False),  # a surname alone
    ({"accused": "เจ้าหน้าที่กองคลัง", "description": "แจ้งนายกแล้วแต่เงียบ"}, False),  # a title outside them
])
def test_a_report_naming_an_office_holder_is_flagged_without_the_title(session, org, store, story, flagged):
    with session.begin():
        session.add(OfficeHolder(org_id=org.id, name_th="นายอนันต์ เคยดี", position_th="นายกเทศมนตรี", active=False))
    with session.begin():  # the demo organization's, from its seed, and the former one
        assert {"นายสมปอง ตัวอย่างดี", "นายอนันต์ เคยดี"} <= set(org.office_holder_names)
    with session.begin():
        story = {"description": "เรียกรับเงิน", **story}
        case = _file(session, org, channel="corruption", identity=None, story=story).case
        general = _file(session, org, story=story).case
    assert case.names_executive is flagged and general.names_executive is False


@pytest.mark.parametrize("stored, written, flagged", [
    ("นางสาวมาลี ศรีสุข", "มาลี ศรีสุข", True),
    ("นางสาวมาลี ศรีสุข", "นายกมาลี", True),
    ("น.ส. ดวง ดี", "ดวงดี", True),
    ("ว่าที่ร้อยตรีสมศักดิ์ ใจกล้า", "สมศักดิ์ ใจกล้า", True),  # a rank run into the first name
    ("ว่าที่ ร.ต. สมศักดิ์ ใจกล้า", "นายกสมศักดิ์", True),
    ("จ.ส.อ.ประยูร มั่นคง", "ประยูร มั่นคง", True),
    ("ผศ.ดร.กิตติ ใฝ่รู้", "กิตติ ใฝ่รู้", True),
    ("นายเอกชัย ศรีดี", "นายกเอกชัย", True),  # เอก… is a first name here, not a rank
    ("นางน้ำฝน ใสสะอาด", "น\u0e4d\u0e49าฝน ใสสะอาด", True),  # ํ + า typed for ำ
    ("ดร.กิตติ", "ดร.กิตติ", False),  # no surname: a first name alone is shared by too many
    ("นางมล ดีงาม", "นายกมล ใจดี", False),  # Mr Kamon: a two-letter first name gives no นายก key
])
def test_office_holder_names_are_matched_past_honorifics_ranks_and_typing(stored, written, flagged):
    assert executives.names_an_executive({"description": written}, [stored]) is flagged


def test_a_reports_words_are_squeezed_the_same_number_of_times_however_many_names_are_listed(monkeypatch):
    # Once per key, a long report took a tenth of a second more per listed name: time an
    # observer of the network could measure, on the corruption channel only.
    story = {"accused": "เจ้าหน้าที่กองช่าง", "description": "ก" * 2_000, "subject": "เรียกรับเงิน", "place": "หมู่ 5"}
    few, many = ["นายสมชาย ใจดี"], [f"นายสมชาย{i} ใจดี{i}" for i in range(30)]
    squeezes = []
    real = executives._squeezed
    monkeypatch.setattr(executives, "_squeezed", lambda text: squeezes.append(text) or real(text))
    for names in (few, many):
        executives.names_an_executive(story, names)  # the names' keys are worked out once, then kept
        squeezes.clear()
        executives.names_an_executive(story, names)
        assert len(squeezes) <= len(story) + 1, names


def test_a_general_filing_works_out_the_office_holder_check_too(session, org, monkeypatch):
    # Only a corruption report is flagged, but a general filing that skipped the check would
    # answer sooner the longer the report: which channel a long report went to would show.
    seen = []
    real = intake.names_an_executive
    monkeypatch.setattr(intake, "names_an_executive", lambda *args: seen.append(args) or real(*args))
    with session.begin():
        general = _file(session, org, story={"description": "นายกเรียกรับเงิน", "subject": "นายก"}).case
    assert len(seen) == 1 and general.names_executive is False


def test_office_holders_are_added_put_back_in_office_and_ended_by_the_rules(session, org):
    # The CLI calls these today, the staff console will tomorrow: one rule for both.
    with session.begin():
        holder, keys = executives.add_office_holder(session, org.id, " นางมณี   ใหม่มา ", "สมาชิกสภาเทศบาล เขต 2")
        assert holder.name_th == "นางมณี ใหม่มา" and keys == {"มณีใหม่มา", "นายกมณี"}
        assert executives.end_office_holder(session, org.id, "นางมณี ใหม่มา").active is False
        again, _ = executives.add_office_holder(session, org.id, "นางมณี ใหม่มา", "นายกเทศมนตรี")
        assert again is holder and again.active and again.position_th == "นายกเทศมนตรี"
        for bad in (("นางมณี", "สมาชิกสภา"), ("นางมณี ใหม่มา", " "), ("", "สมาชิกสภา")):
            with pytest.raises(executives.OfficeHolderError):
                executives.add_office_holder(session, org.id, *bad)
        with pytest.raises(executives.OfficeHolderError):
            executives.end_office_holder(session, org.id, "นายไม่เคย มีชื่อ")


def test_a_letter_keyed_in_days_later_runs_from_the_day_it_arrived(session, org):
    # APA s.64: the clock starts when the organization receives the matter, not when it is typed in.
    arrived = NOW.date() - timedelta(days=3)
    with session.begin():
        case = _file(session, org, source="letter", received_on=arrived).case
    assert thaidate.local_date(case.received_at) == arrived
    keyed_now = _file_now_due(session, org)
    assert case.first_notice_due < keyed_now
    event = session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id))
    assert event.at == NOW and json.loads(event.detail)["received_on"] == arrived.isoformat()


def _file_now_due(session, org):
    with session.begin():
        return _file(session, org, source="letter").case.first_notice_due


def test_a_letter_received_in_the_last_fiscal_year_counts_there(session, org):
    keyed = datetime(2025, 10, 2, 3, 0, tzinfo=timezone.utc)  # 2 Oct: fiscal year 2569
    with session.begin():
        case = _file(session, org, now=keyed, source="po_box", received_on=date(2025, 9, 30)).case
    assert case.fiscal_year == 2568


@pytest.mark.parametrize("source, received_on, field", [
    ("letter", NOW.date() + timedelta(days=1), "received_on"),  # not yet arrived
    ("web", NOW.date() - timedelta(days=1), "received_on"),  # a web filing arrives as it is sent
])
def test_an_impossible_received_date_is_refused(session, org, source, received_on, field):
    with pytest.raises(IntakeError) as refused:
        _file(session, org, source=source, received_on=received_on)
    assert refused.value.field == field
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_demo_reports_name_the_accused_unit_as_a_reporter_would(session, org, store):
    from complaints import demo_data
    from complaints.seed import file_demo_complaints

    with session.begin():
        filings = file_demo_complaints(session, org, len(demo_data.DEMO_COMPLAINTS), NOW)
        named = {store.vault.story(f.case).get("accused_unit") for f in filings} - {None}
    # The samples keep a unit's code ("finance"); the sealed story has its name ("กองคลัง").
    assert named and named <= {unit.name_th for unit in demo_data.DEMO_UNITS}
