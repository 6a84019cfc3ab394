"""Filings per second through the WSGI app, against a bare Flask route inserting one row (the floor),
against a bare route making the same statements as a filing, and against a bare Flask-WTF form of
the same fields inserting the floor's row (the least the mandated stack costs).

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
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf import CSRFProtect, FlaskForm
from sqlalchemy import Column, Integer, MetaData, Table, Text, delete, insert, select, update
from wtforms import BooleanField, MultipleFileField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from bench.common import bench_app, database, pg_available
from complaints.models import Category
from complaints.web.context import get_store

FORM = {
    "kind": "complaint", "name": "นางสาวสมใจ ทดสอบ", "phone": "081-000-0001", "subject": "ไฟฟ้าดับ",
    "description": "ไฟฟ้าส่องสว่างสาธารณะหน้าศูนย์พัฒนาเด็กเล็กดับ ๕ ดวง มาเกือบหนึ่งเดือน", "declaration": "y",
}
TOKEN = re.compile(r'<input id="(csrf_token|form_nonce)" name="[^"]+" type="hidden" value="([^"]+)"')


def general_category(app: Flask) -> int:
    """The id of a general-channel category of the app's demo organization."""
    with get_store(app).sessions() as s:
        found = s.scalars(select(Category.id).where(Category.channel == "general")).first()
    if found is None:
        raise RuntimeError("the demo organization has no general category")
    return found


def time_filings(app: Flask, count: int) -> float:
    """Seconds spent in ``count`` filing POSTs (the GET that issues the form tokens is not timed)."""
    category = general_category(app)
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


# The references' own tables, made by ``floor_app``; the stack reference writes the floor's row too.
_TABLES = MetaData()
_FLOOR_ROWS = Table("bench_floor", _TABLES, Column("id", Integer, primary_key=True), Column("body", Text))
_COUNTER = Table("bench_counter", _TABLES, Column("id", Integer, primary_key=True), Column("n", Integer))
_STATEMENT_ROWS = [Table(f"bench_{name}", _TABLES, Column("id", Integer, primary_key=True), Column("body", Text))
                   for name in ("token", "case", "event", "message")]


def floor_app(app: Flask) -> Flask:
    """A bare Flask app on the same engine with two routes.

    ``/floor`` inserts one plain row and commits: the goal's floor. ``/statements`` runs, bare, the
    database work a filing must do in its one transaction (record the spent form token, bump a
    counter with UPDATE … RETURNING, insert a case-sized row and two small ones) with no ORM, forms, CSRF, crypto or session; it
    shows how much of a filing is database work and how much is everything else.
    """
    store = get_store(app)
    _TABLES.create_all(store.engine)
    with store.engine.begin() as conn:
        conn.execute(delete(_COUNTER))
        conn.execute(insert(_COUNTER).values(id=1, n=0))
    bump = update(_COUNTER).where(_COUNTER.c.id == 1).values(n=_COUNTER.c.n + 1).returning(_COUNTER.c.n)
    sizes = {"bench_token": 40, "bench_case": 900, "bench_event": 250, "bench_message": 150}  # as a filing's rows
    floor = Flask("floor")

    @floor.post("/floor")
    def insert_row() -> tuple[str, int]:
        with store.engine.begin() as conn:
            conn.execute(insert(_FLOOR_ROWS).values(body="x" * 200))
        return "", 204

    @floor.post("/statements")
    def filing_statements() -> tuple[str, int]:
        with store.engine.begin() as conn:
            conn.execute(bump).scalar_one()
            for table in _STATEMENT_ROWS:
                conn.execute(insert(table).values(body="x" * sizes[table.name]))
        return "", 204

    return floor


class StackForm(FlaskForm):
    """The general form's fields with plain WTForms validators: what any Flask-WTF form of this
    size costs, before this project's own rules."""

    kind = RadioField(choices=["complaint", "grievance"], validators=[DataRequired()])
    name = StringField(validators=[DataRequired(), Length(max=200)])
    phone = StringField(validators=[Optional(), Length(max=40)])
    email = StringField(validators=[Optional(), Length(max=200)])
    address = TextAreaField(validators=[Optional(), Length(max=500)])
    category = SelectField(coerce=int, validators=[DataRequired()])
    subject = StringField(validators=[DataRequired(), Length(max=200)])
    accused = StringField(validators=[Optional(), Length(max=300)])
    village_no = StringField(validators=[Optional(), Length(max=3)])
    community = StringField(validators=[Optional(), Length(max=200)])
    place = StringField(validators=[Optional(), Length(max=300)])
    description = TextAreaField(validators=[DataRequired(), Length(max=10_000)])
    remedy = TextAreaField(validators=[Optional(), Length(max=2_000)])
    evidence = TextAreaField(validators=[Optional(), Length(max=3_000)])
    attachments = MultipleFileField()
    declaration = BooleanField(validators=[DataRequired()])
    form_nonce = StringField(validators=[Optional(), Length(max=64)])


def stack_app(app: Flask, category: int) -> Flask:
    """A bare Flask app on the same engine whose ``/stack`` takes a POST as the mandated stack must
    at the least: Flask-WTF's CSRF check against the signed session, a Flask-Limiter limit (the
    issue asks for one on filing), the general form's fields bound and validated, then the floor's
    one plain row, and a 303. Its form page (GET) is not timed.

    Its rate over the floor's bounds what any filing made with these parts could reach: a filing
    does all of this and more (encryption, the case's rows, the receipt).
    """
    store = get_store(app)
    stack = Flask("stack")
    stack.config["SECRET_KEY"] = "bench"
    CSRFProtect(stack)
    limiter = Limiter(get_remote_address, app=stack, storage_uri="memory://")

    @stack.route("/stack", methods=["GET", "POST"])
    @limiter.limit("1000000 per minute", methods=["POST"])
    def stack_form() -> tuple[str, int, dict[str, str]]:
        form = StackForm()
        form.category.choices = [(category, "c")]
        if not form.validate_on_submit():
            page = f'<input id="csrf_token" name="csrf_token" type="hidden" value="{form.csrf_token.current_token}">'
            return page, 400 if form.is_submitted() else 200, {}
        with store.engine.begin() as conn:
            conn.execute(insert(_FLOOR_ROWS).values(body=form.description.data))
        return "", 303, {"Location": "/stack"}

    return stack


def time_stack(stack: Flask, count: int, category: int) -> float:
    """Seconds spent in ``count`` POSTs to the stack reference (each GET that issues its token untimed)."""
    client = stack.test_client()
    spent = 0.0
    for _ in range(count):
        tokens = dict(TOKEN.findall(client.get("/stack").get_data(as_text=True)))
        start = time.perf_counter()
        response = client.post("/stack", data={**FORM, **tokens, "category": category, "form_nonce": "x"})
        spent += time.perf_counter() - start
        assert response.status_code == 303, response.get_data(as_text=True)
    return spent


def time_floor(floor: Flask, count: int, path: str = "/floor") -> float:
    """Seconds for ``count`` POSTs to one of the floor app's routes."""
    client = floor.test_client()
    start = time.perf_counter()
    for _ in range(count):
        assert client.post(path, data={"body": "x"}).status_code == 204
    return time.perf_counter() - start


def main() -> None:
    """Print filings/s, floor rows/s and their ratio for each database, and the two references:
    the same statements made bare, and the least the mandated form stack costs (``stack_app``).

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
          f" {'stack/s':>8} {'stack/floor':>12} {'filings/stack':>14}"
          f" {'ms/filing':>10} {'ms/floor':>9} {'ms/stmts':>9} {'ms/stack':>9}"
          f"   (median of {args.rounds} rounds x {per_round}; goal: filings/floor >= 0.50)")
    for kind in kinds:
        with database(kind) as url, bench_app(url) as app:
            floor, category = floor_app(app), general_category(app)
            stack = stack_app(app, category)
            time_filings(app, 20)  # warm-up: imports, first connections, template compilation
            time_floor(floor, 20)
            time_floor(floor, 20, "/statements")
            time_stack(stack, 20, category)
            rates: dict[str, list[float]] = {"filing": [], "floor": [], "stmts": [], "stack": []}
            for _ in range(args.rounds):
                rates["filing"].append(per_round / time_filings(app, per_round))
                rates["floor"].append(per_round / time_floor(floor, per_round))
                rates["stmts"].append(per_round / time_floor(floor, per_round, "/statements"))
                rates["stack"].append(per_round / time_stack(stack, per_round, category))
        filing, bare, stmts, least = (statistics.median(rates[k]) for k in ("filing", "floor", "stmts", "stack"))
        print(f"{kind:<11} {filing:>10.1f} {bare:>9.1f} {filing / bare:>6.2f} {stmts:>13.1f} {filing / stmts:>6.2f}"
              f" {least:>8.1f} {least / bare:>12.2f} {filing / least:>14.2f}"
              f" {1000 / filing:>10.2f} {1000 / bare:>9.2f} {1000 / stmts:>9.2f} {1000 / least:>9.2f}")
    if len(kinds) == 1:
        print("postgresql  skipped: not reachable")


if __name__ == "__main__":
    main()
