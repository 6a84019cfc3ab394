"""The organization snapshot: kept for its time to live, dropped on invalidate, and what lets a
filing POST run as one transaction with no reads."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import event, select

from complaints import thaidate
from complaints.models import Case, Category, Holiday
from complaints.web.orgcache import OrgCache
from tests.web_helpers import GENERAL, category_id, client_for, post_form


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _rename(session, org, name: str) -> None:
    org.name_th = name
    session.add(org)
    session.commit()


def test_snapshot_is_kept_for_its_ttl_then_read_again(store, session, org):
    clock = FakeClock()
    cache = OrgCache(30, clock=clock)
    assert cache.get(store.sessions, "demo").name_th == org.name_th
    _rename(session, org, "เทศบาลตำบลเปลี่ยนชื่อ")
    clock.now += 29
    assert cache.get(store.sessions, "demo").name_th != "เทศบาลตำบลเปลี่ยนชื่อ"  # still the snapshot
    clock.now += 2
    assert cache.get(store.sessions, "demo").name_th == "เทศบาลตำบลเปลี่ยนชื่อ"


def test_invalidate_and_a_zero_ttl_read_at_once(store, session, org):
    cache, uncached = OrgCache(30), OrgCache(0)
    cache.get(store.sessions, "demo")
    uncached.get(store.sessions, "demo")
    _rename(session, org, "อบต.ชื่อใหม่")
    assert uncached.get(store.sessions, "demo").name_th == "อบต.ชื่อใหม่"
    cache.invalidate()
    assert cache.get(store.sessions, "demo").name_th == "อบต.ชื่อใหม่"
    assert cache.get(store.sessions, "no-such-org") is None


def test_snapshot_holds_active_categories_per_channel_and_the_days_off(store, session, org):
    first = session.scalar(select(Category).where(Category.channel == "general").order_by(Category.id))
    first.active = False
    session.add(Holiday(org_id=org.id, day=date(2025, 4, 22), kind="day_off", name_th="วันหยุดท้องถิ่น"))
    session.commit()
    snapshot = OrgCache(30).get(store.sessions, "demo")
    general = snapshot.categories_of("general")
    assert general and first.id not in {c.id for c in general}
    assert all(c.channel == "general" for c in general)
    assert snapshot.category("corruption", general[0].id) is None  # never across channels
    assert snapshot.category("general", general[0].id) == general[0]
    assert date(2025, 4, 22) in snapshot.calendar.extra_days_off


def test_a_filing_post_is_one_transaction_with_no_reads(app, store, session):
    client = client_for(app)
    category = category_id(session, "general")
    # A first filing warms the snapshot and creates this fiscal year's counter row, as on any
    # running server.
    assert post_form(client, "/general/new", {**GENERAL, "category": category}).status_code == 303
    statements: list[str] = []
    begins: list[object] = []
    listen = [("before_cursor_execute", lambda c, cur, stmt, *a: statements.append(stmt.split()[0].upper())),
              ("begin", lambda conn: begins.append(conn))]
    for name, fn in listen:
        event.listen(store.engine, name, fn)
    try:
        response = post_form(client, "/general/new", {**GENERAL, "category": category})
    finally:
        for name, fn in listen:
            event.remove(store.engine, name, fn)
    assert response.status_code == 303
    assert len(begins) == 1  # the form's GET reads nothing; the POST is one transaction
    writes = [s for s in statements if s != "BEGIN"]
    assert "SELECT" not in writes, statements
    # The spent form token, then case, receipt and event; no UPDATE of the new case.
    assert writes.count("UPDATE") == 1 and writes.count("INSERT") == 4, statements


def test_a_filing_after_invalidate_uses_the_new_time_frame(app, store, session, org):
    client = client_for(app)
    category = category_id(session, "general")
    client.get("/general/new")
    org.notice_days = 7
    session.add(org)
    session.commit()
    store.orgs.invalidate()
    assert post_form(client, "/general/new", {**GENERAL, "category": category}).status_code == 303
    case = session.scalar(select(Case))
    assert case.first_notice_due == thaidate.local_date(case.received_at) + timedelta(days=7)


def test_a_read_begun_before_invalidate_is_not_kept(store, session, org):
    cache, loads = OrgCache(30), []

    def racing_session():
        loads.append(1)
        if len(loads) == 1:
            cache.invalidate()  # a settings change lands while the first read is under way
        return store.sessions()

    cache.get(racing_session, "demo")
    cache.get(racing_session, "demo")
    cache.get(racing_session, "demo")
    assert len(loads) == 2  # the first read was not kept; the second was
