"""Filings per second through the WSGI app, against a bare Flask route inserting one row (the floor).

Run: ``.venv/bin/python -m bench.intake [--count N]``. Both go through the same Flask test client,
the same database and a commit per request; the filing side also pays CSRF, validation, two
envelope encryptions, the case number, the receipt notice and the audit event.
"""
from __future__ import annotations

import argparse
import re
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


def time_floor(app: Flask, count: int) -> float:
    """Seconds for ``count`` POSTs to a bare route that inserts one plain row and commits."""
    store = get_store(app)
    table = Table("bench_floor", MetaData(), Column("id", Integer, primary_key=True), Column("body", Text))
    table.create(store.engine, checkfirst=True)
    floor = Flask("floor")

    @floor.post("/floor")
    def insert_row() -> tuple[str, int]:
        with store.engine.begin() as conn:
            conn.execute(insert(table).values(body="x" * 200))
        return "", 204

    floor.config["WTF_CSRF_ENABLED"] = False
    client = floor.test_client()
    start = time.perf_counter()
    for _ in range(count):
        assert client.post("/floor", data={"body": "x"}).status_code == 204
    return time.perf_counter() - start


def main() -> None:
    """Print filings/s, floor rows/s and their ratio for each database."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()
    kinds = ["sqlite"] + (["postgresql"] if pg_available() else [])
    print(f"{'database':<11} {'filings/s':>10} {'floor/s':>10} {'ratio':>6}   (n={args.count}, goal ratio >= 0.50)")
    for kind in kinds:
        with database(kind) as url, bench_app(url) as app:
            time_filings(app, 10)  # warm-up: imports, first connections, template compilation
            filing = args.count / time_filings(app, args.count)
            floor = args.count / time_floor(app, args.count)
        print(f"{kind:<11} {filing:>10.1f} {floor:>10.1f} {filing / floor:>6.2f}")
    if len(kinds) == 1:
        print("postgresql  skipped: not reachable")


if __name__ == "__main__":
    main()
