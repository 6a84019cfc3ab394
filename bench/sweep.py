"""Deadline sweep against one bare UPDATE over the same table, at growing case counts.

Run: ``.venv/bin/python -m bench.sweep [--sizes 10000,100000,1000000]``. Each size gets a fresh
database seeded by one set-based INSERT … SELECT (10% closed; 9% overdue and 2% due within two
days, so about 10% of the open cases are overdue).
``jobs.sweep`` is timed in its own committed transaction; then the flags and alerts are reset and
``bare_update`` (one UPDATE over the same rows) is timed the same way.
"""
from __future__ import annotations

import argparse
import itertools
import math
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from datetime import time as dtime
from typing import Any

from sqlalchemy import (
    Date,
    Engine,
    Integer,
    LargeBinary,
    String,
    Text,
    case,
    cast,
    func,
    insert,
    literal,
    select,
    text,
)
from sqlalchemy.orm import Session

from bench.common import database, pg_available
from complaints.db import UTCDateTime, make_engine
from complaints.models import Case
from complaints.seed import ensure_demo_org
from complaints.thaidate import BANGKOK
from complaints.workflow import jobs

TODAY = date(2025, 5, 1)  # the sweep runs at 08:00 Bangkok on this day
NOW = datetime.combine(TODAY, dtime(8, 0), tzinfo=BANGKOK)


def bare_update(session: Session, today: date) -> int:
    """The floor the sweep is measured against: one bare UPDATE over the same rows."""
    result = session.execute(text('UPDATE "case" SET overdue = TRUE WHERE next_notice_due < :today'),
                             {"today": today})
    return int(getattr(result, "rowcount", 0) or 0)


def default_due(g: Any) -> Any:
    """Days from TODAY to case g's notice due date: -10..89, so 10% overdue and 3% due within 2 days.

    Works on a Python int and on a SQL column alike (non-negative operands: % agrees in both).
    """
    return (g * 37) % 100 - 10


def seed_cases(bind: Engine | Session, org_id: int, n: int, due_for: Callable[[Any], Any] = default_due, *,
               base: date = TODAY, closed_every: int = 10) -> None:
    """Insert cases numbered g = 1..n with ONE INSERT … SELECT, committed.

    Case g is due on ``base + due_for(g)`` and warned that same day; every ``closed_every``-th case (g % closed_every == 0)
    is closed, with no running notice due date. Story columns are dummy bytes: the sweep never
    decrypts. Numbers are g, so seed a given organization once.
    """
    pg = bind.get_bind().dialect.name == "postgresql" if isinstance(bind, Session) else bind.dialect.name == "postgresql"
    if pg:
        series = func.generate_series(1, n).table_valued("g").render_derived()
        g = series.c.g
        source: Any = series
        case_id: Any = func.gen_random_uuid()
        tracking: Any = func.sha256(cast(cast(g, Text), LargeBinary))
        due: Any = literal(base, Date) + due_for(g)
    else:
        seq = select(literal(1, Integer).label("g")).cte("s", recursive=True)
        seq = seq.union_all(select((seq.c.g + 1).label("g")).where(seq.c.g < n))
        g, source = seq.c.g, seq
        case_id = func.printf("%032x", g)  # Uuid on SQLite: CHAR(32) hex without dashes
        tracking = cast(func.printf("%064x", g), LargeBinary)
        due = func.date(literal(base.isoformat(), String), cast(due_for(g), Text).concat(" days"))
    closed = (g % closed_every == 0) if closed_every else literal(False)
    received = datetime.combine(base - timedelta(days=20), dtime(3, 0), tzinfo=timezone.utc)
    rows = {
        "id": case_id, "org_id": literal(org_id, Integer), "channel": literal("general"),
        "kind": literal("complaint"), "source": literal("web"),
        "state": case((closed, "closed"), else_="in_progress"),
        "fiscal_year": literal(2568, Integer), "number": g, "tracking_index": tracking,
        "received_at": literal(received, UTCDateTime), "first_notice_due": due,
        "next_notice_due": case((closed, None), else_=due), "warn_on": case((closed, None), else_=due),
        "closed_at": case((closed, literal(received, UTCDateTime)), else_=None),
        "story_ct": literal(b"x", LargeBinary), "story_dek": literal(b"x", LargeBinary),
        "story_kek_id": literal("bench"), "anonymous": literal(False), "overdue": literal(False),
        "escalated": literal(False), "names_executive": literal(False), "event_count": literal(0, Integer),
        "no_contact": literal(False),
    }
    stmt = insert(Case).from_select(list(rows), select(*rows.values()).select_from(source))
    if isinstance(bind, Session):
        bind.execute(stmt)
        bind.commit()
    else:
        with bind.begin() as conn:
            conn.execute(stmt)


def expected(n: int, today: date, due_for: Callable[[Any], Any] = default_due, *, base: date = TODAY,
             closed_every: int = 10, remind_days: int = 2) -> dict[str, int]:
    """Counts the sweep should find for ``today``, from the same formula as ``seed_cases``."""
    out = {"open": 0, "overdue": 0, "soon": 0, "later": 0, "closed": 0}
    for g in range(1, n + 1):
        if closed_every and g % closed_every == 0:
            out["closed"] += 1
            continue
        out["open"] += 1
        days = (base + timedelta(days=due_for(g)) - today).days
        out["overdue" if days < 0 else "soon" if days <= remind_days else "later"] += 1
    return out


def demo_org_id(engine: Engine) -> int:
    """Create the demo organization (units, categories) and return its id."""
    with Session(engine) as s, s.begin():
        return ensure_demo_org(s)[0].id


def _tidy(engine: Engine) -> None:
    """Fresh statistics (and, on PostgreSQL, no dead tuples) before a timed statement."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql('VACUUM ANALYZE "case"' if engine.dialect.name == "postgresql" else "ANALYZE")


def _timed(engine: Engine, work: Callable[[Session], Any]) -> tuple[float, Any]:
    """Seconds for ``work`` plus its commit, in one transaction begun (and connected) off the clock."""
    with Session(engine) as s:
        with s.begin():
            s.connection()
            start = time.perf_counter()
            result = work(s)
        return time.perf_counter() - start, result


def run_one(kind: str, n: int) -> tuple[float, float, float, int]:
    """(seed s, sweep s, bare s, overdue rows) for n cases on a fresh database of ``kind``."""
    with database(kind) as url:
        engine = make_engine(url)
        try:
            org_id = demo_org_id(engine)
            start = time.perf_counter()
            seed_cases(engine, org_id, n)
            seeded = time.perf_counter() - start
            _tidy(engine)
            swept, report = _timed(engine, lambda s: jobs.sweep(s, NOW))
            assert not report.skipped and report.newly_overdue == expected(n, TODAY)["overdue"], report
            with engine.begin() as conn:
                conn.execute(text('UPDATE "case" SET overdue = FALSE, escalated = FALSE WHERE overdue OR escalated'))
                conn.execute(text("DELETE FROM case_alert"))
            _tidy(engine)
            bare, bare_rows = _timed(engine, lambda s: bare_update(s, TODAY))
            assert bare_rows == expected(n, TODAY)["overdue"], bare_rows  # same rows (closed ones have no due)
            return seeded, swept, bare, bare_rows
        finally:
            engine.dispose()


def k(a: tuple[int, float], b: tuple[int, float]) -> float:
    """Exponent of time ~ n^k between two (n, µs per case) points: 1 + log(per-case ratio) / log(n ratio)."""
    return 1 + math.log(b[1] / a[1]) / math.log(b[0] / a[0])


def main() -> None:
    """Print sweep against bare-UPDATE seconds for each database and size, and the growth."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = ["sqlite"] + (["postgresql"] if pg_available() else [])
    print(f"{'database':<11} {'n':>9} {'seed s':>8} {'sweep s':>9} {'bare s':>9} {'ratio':>6} {'sweep µs/case':>14}")
    for kind in kinds:
        per_case: list[tuple[int, float]] = []
        for n in sizes:
            seeded, swept, bare, _ = run_one(kind, n)
            per_case.append((n, swept / n * 1e6))
            print(f"{kind:<11} {n:>9} {seeded:>8.2f} {swept:>9.3f} {bare:>9.3f} {swept / bare:>6.2f} "
                  f"{per_case[-1][1]:>14.2f}" + ("   (seeding took over a minute)" if seeded > 60 else ""),
                  flush=True)
        if len(per_case) > 1:
            steps = "; ".join(f"{a[0]}->{b[0]}: per case x{b[1] / a[1]:.2f} (k={k(a, b):.2f})"
                              for a, b in itertools.pairwise(per_case))
            overall = k(per_case[0], per_case[-1])  # 1 is linear
            verdict = "linear" if overall <= 1.15 else "SUPER-LINEAR"
            print(f"{kind:<11} growth: {steps}; overall time ~ n^{overall:.2f} => {verdict}", flush=True)
    if len(kinds) == 1:
        print("postgresql  skipped: not reachable")


if __name__ == "__main__":
    main()
