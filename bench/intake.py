"""Filings per second through the WSGI app, against a bare Flask route inserting one row (the floor).

Run: ``.venv/bin/python -m bench.intake [--count N] [--rounds R]``. Both go through the same Flask test client,
the same database and a commit per request; the filing side also pays CSRF, validation, two
envelope encryptions, the case number, the receipt notice and the audit event.
"""
from __future__ import annotations

import argparse
import re
import statistics
import time

from flask import Flask
from sqlalchemy import Column, Integer, MetaData, Table, Text, insert, select

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
        assert response.status_code == 303, response.status_code
    return spent


def floor_app(app: Flask) -> Flask:
    """A bare Flask app on the same engine whose one route inserts one plain row and commits."""
    store = get_store(app)
    table = Table("bench_floor", MetaData(), Column("id", Integer, primary_key=True), Column("body", Text))
    table.create(store.engine, checkfirst=True)
    floor = Flask("floor")

    @floor.post("/floor")
    def insert_row() -> tuple[str, int]:
        with store.engine.begin() as conn:
            conn.execute(insert(table).values(body="x" * 200))
        return "", 204

    return floor


def time_floor(floor: Flask, count: int) -> float:
    """Seconds for ``count`` POSTs to the floor's route."""
    client = floor.test_client()
    start = time.perf_counter()
    for _ in range(count):
        assert client.post("/floor", data={"body": "x"}).status_code == 204
    return time.perf_counter() - start


def main() -> None:
    """Print filings/s, floor rows/s and their ratio for each database.

    The two are measured in alternating rounds and the median round is reported, so a burst of
    other work on the machine moves both sides instead of one.
    """
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=600, help="requests per side, split over the rounds")
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    per_round = max(1, args.count // args.rounds)
    kinds = ["sqlite"] + (["postgresql"] if pg_available() else [])
    print(f"{'database':<11} {'filings/s':>10} {'floor/s':>10} {'ratio':>6} {'ms/filing':>10} {'ms/floor':>9}"
          f"   (median of {args.rounds} rounds x {per_round}; goal ratio >= 0.50)")
    for kind in kinds:
        with database(kind) as url, bench_app(url) as app:
            floor = floor_app(app)
            time_filings(app, 20)  # warm-up: imports, first connections, template compilation
            time_floor(floor, 20)
            filings, floors = [], []
            for _ in range(args.rounds):
                filings.append(per_round / time_filings(app, per_round))
                floors.append(per_round / time_floor(floor, per_round))
        filing, bare = statistics.median(filings), statistics.median(floors)
        print(f"{kind:<11} {filing:>10.1f} {bare:>10.1f} {filing / bare:>6.2f} {1000 / filing:>10.2f} {1000 / bare:>9.2f}")
    if len(kinds) == 1:
        print("postgresql  skipped: not reachable")


if __name__ == "__main__":
    main()
