"""The intake benchmark's four sides still run (its figures are printed by ``make bench``, not tested)."""
from __future__ import annotations

from sqlalchemy import text

from bench.common import bench_app, database
from bench.intake import floor_app, general_category, stack_app, time_filings, time_floor, time_stack
from complaints.web.context import get_store


def test_every_side_of_the_intake_benchmark_does_its_work():
    with database("sqlite") as url, bench_app(url) as app:
        floor, category = floor_app(app), general_category(app)
        stack = stack_app(app, category)
        # Each asserts its own answers: a filing must reach the receipt, the stack form a 303.
        spent = [time_filings(app, 2), time_floor(floor, 2), time_floor(floor, 2, "/statements"),
                 time_stack(stack, 3, category)]
        assert all(seconds > 0 for seconds in spent)
        with get_store(app).engine.connect() as conn:
            # The floor's two rows and the stack form's three, which carry the report's text.
            assert conn.scalar(text("SELECT count(*) FROM bench_floor")) == 5
            assert conn.scalar(text("SELECT count(*) FROM bench_floor WHERE body LIKE 'ไฟฟ้า%'")) == 3
