"""Filings per second through the WSGI app, against a bare Flask route inserting one row (the floor)
and against a bare route making the same statements as a filing.

Run: ``.venv/bin/python -m bench.intake [--count N] [--rounds R]``. Both go through the same Flask test client,
the same database and a commit per request; the filing side also pays CSRF, validation, two
envelope encryptions, the case number, the receipt notice, the audit event and the spent form token.
"""
from __future__ import annotations

import argparse
import re
import statistics
import time

from flask import Flask
from sqlalchemy import Column, Integer, MetaData, Table, Text, delete, insert, select, update

from bench.common import bench_app, database, pg_available
from complaints.models import Category
from complaints.web.context import get_store

FORM = {
    "kind": "complaint", "name": "นางสาวสมใจ ทดสอบ", "phone": "081-000-0001", "subject": "ไฟฟ้าดับ",
    "description": "ไฟฟ้าส่องสว่างสาธารณะหน้าศูนย์พัฒนาเด็กเล็กดับ ๕ ดวง มาเกือบหนึ่งเดือน", "declaration": "y",
}
TOKEN = re.compile(r'<input id="(csrf_token|form_nonce)" name="[^"]+" type="hidden" value="([^"]+)"')


def time_filings(app: Flask, count: int) -> float:
    """Seconds spent in ``count`` filing POSTs (the GET that issues the form tokens is not timed)."""
    store = get_store(app)
    with store.sessions() as s:
        category = s.scalar(select(Category.id).where(Category.channel == "general"))
    client = app.test_client()
    spent = 0.0
    for _ in range(count):
        tokens = dict(TOKEN.findall(client.get("/general/new").get_data(as_text=True)))
        start = time.perf_counter()
        response = client.post("/general/new", data={**FORM, **tokens, "category": category})
        spent += time.perf_counter() - start
        # A refusal is a 303 too (to the form, web.drafts): only one to the receipt is a filing.
        assert response.status_code == 303 and response.location.startswith("/receipt"), response.location
    return spent


def floor_app(app: Flask) -> Flask:
    """A bare Flask app on the same engine with two routes.

    ``/floor`` inserts one plain row and commits: the goal's floor. ``/statements`` runs, bare, the
    database work a filing must do in its one transaction (record the spent form token, bump a
    counter with UPDATE … RETURNING, insert a case-sized row and two small ones) with no ORM, forms, CSRF, crypto or session; it
    shows how much of a filing is database work and how much is everything else.
    """
    store = get_store(app)
    meta = MetaData()
    plain = Table("bench_floor", meta, Column("id", Integer, primary_key=True), Column("body", Text))
    counter = Table("bench_counter", meta, Column("id", Integer, primary_key=True), Column("n", Integer))
    rows = [Table(f"bench_{name}", meta, Column("id", Integer, primary_key=True), Column("body", Text))
            for name in ("token", "case", "event", "message")]
    meta.create_all(store.engine)
    with store.engine.begin() as conn:
        conn.execute(delete(counter))
        conn.execute(insert(counter).values(id=1, n=0))
    bump = update(counter).where(counter.c.id == 1).values(n=counter.c.n + 1).returning(counter.c.n)
    sizes = {"bench_token": 40, "bench_case": 900, "bench_event": 250, "bench_message": 150}  # as a filing's rows
    floor = Flask("floor")

    @floor.post("/floor")
    def insert_row() -> tuple[str, int]:
        with store.engine.begin() as conn:
            conn.execute(insert(plain).values(body="x" * 200))
        return "", 204

    @floor.post("/statements")
    def filing_statements() -> tuple[str, int]:
        with store.engine.begin() as conn:
            conn.execute(bump).scalar_one()
            for table in rows:
                conn.execute(insert(table).values(body="x" * sizes[table.name]))
        return "", 204

    return floor


def time_floor(floor: Flask, count: int, path: str = "/floor") -> float:
    """Seconds for ``count`` POSTs to one of the floor app's routes."""
    client = floor.test_client()
    start = time.perf_counter()
    for _ in range(count):
        assert client.post(path, data={"body": "x"}).status_code == 204
    return time.perf_counter() - start


def main() -> None:
    """Print filings/s, floor rows/s and their ratio for each database, and the same-statements
    reference.

    The sides are measured in alternating rounds and the median round is reported, so a burst of
    other work on the machine moves all of them instead of one.
    """
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=600, help="requests per side, split over the rounds")
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    per_round = max(1, args.count // args.rounds)
    kinds = ["sqlite"] + (["postgresql"] if pg_available() else [])
    print(f"{'database':<11} {'filings/s':>10} {'floor/s':>9} {'ratio':>6} {'same-stmts/s':>13} {'ratio':>6}"
          f" {'ms/filing':>10} {'ms/floor':>9} {'ms/stmts':>9}"
          f"   (median of {args.rounds} rounds x {per_round}; goal: filings/floor >= 0.50)")
    for kind in kinds:
        with database(kind) as url, bench_app(url) as app:
            floor = floor_app(app)
            time_filings(app, 20)  # warm-up: imports, first connections, template compilation
            time_floor(floor, 20)
            time_floor(floor, 20, "/statements")
            rates: dict[str, list[float]] = {"filing": [], "floor": [], "stmts": []}
            for _ in range(args.rounds):
                rates["filing"].append(per_round / time_filings(app, per_round))
                rates["floor"].append(per_round / time_floor(floor, per_round))
                rates["stmts"].append(per_round / time_floor(floor, per_round, "/statements"))
        filing, bare, stmts = (statistics.median(rates[k]) for k in ("filing", "floor", "stmts"))
        print(f"{kind:<11} {filing:>10.1f} {bare:>9.1f} {filing / bare:>6.2f} {stmts:>13.1f} {filing / stmts:>6.2f}"
              f" {1000 / filing:>10.2f} {1000 / bare:>9.2f} {1000 / stmts:>9.2f}")
    if len(kinds) == 1:
        print("postgresql  skipped: not reachable")


if __name__ == "__main__":
    main()
