"""``complaints organization``, ``day-off``, ``unit`` and ``category``: an office sets itself up,
through ``workflow.org_settings`` and ``workflow.org_units``. Running servers see a change within
``ORG_CACHE_SECONDS``."""
from __future__ import annotations

from datetime import date

import click
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.cli_care import ready_app
from complaints.models import Organization
from complaints.vocab import CHANNELS
from complaints.web.context import get_store
from complaints.workflow.org_units import (
    UNIT_FLAGS,
    UNIT_TEXTS,
    add_category,
    add_unit,
    categories,
    retire_category,
    set_category_examples,
    set_unit_setting,
    units,
)
from complaints.workflow.org_settings import (
    SettingError,
    add_day_off,
    days_off,
    remove_day_off,
    set_setting,
    setting_names,
    show,
)


def org_of(session: Session, app: Flask) -> Organization:
    """The organization this deployment serves (``ORG_SLUG``), or a message to run init."""
    org = session.scalar(select(Organization).where(Organization.slug == app.config["ORG_SLUG"]))
    if org is None:
        raise click.ClickException(f"organization {app.config['ORG_SLUG']!r} not found; run 'complaints init'")
    return org


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date of the Common Era as YYYY-MM-DD (e.g. 2027-05-03)") from None


def _settled(action):  # type: ignore[no-untyped-def]
    """Run ``action(session, org_id)`` in a transaction; a ``SettingError`` becomes the message."""
    app = ready_app("manage the organization", blobs=False, keys="none")
    with get_store(app).sessions() as session, session.begin():
        try:
            return action(session, org_of(session, app).id)
        except SettingError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group("organization")
def organization() -> None:
    """Show or change the organization's names, contacts and time frames (the guides publish them)."""


@organization.command("show")
def organization_show() -> None:
    """Every setting and its value."""
    for name, value in _settled(lambda session, org_id: show(session.get(Organization, org_id))).items():
        click.echo(f"{name}\t{value}")


@organization.command("set")
@click.argument("name", type=click.Choice(setting_names()))
@click.argument("value")
def organization_set(name: str, value: str) -> None:
    """Set NAME to VALUE (an empty VALUE clears an optional text)."""
    stored = _settled(lambda session, org_id: set_setting(session.get(Organization, org_id), name, value))
    click.echo(f"{name} = {'-' if stored is None else stored}")
    if name == "working_days" and stored:
        click.echo("note: notice_days and progress_days now count working days, so the first notice may come"
                   " after the 15 calendar days the law counts (rules.md R9, R10): set this only where the"
                   " organization has decided on '15 วันทำการ'", err=True)


@click.group("day-off")
def day_off() -> None:
    """The organization's own days off (and national ones it works), for due dates counted in
    working days."""


@day_off.command("list")
def day_off_list() -> None:
    """Every day of the organization's own, by date."""
    for row in _settled(days_off):
        click.echo(f"{row.day.isoformat()}\t{row.kind}\t{row.name_th}")


@day_off.command("add")
@click.argument("day")
@click.argument("name")
@click.option("--working", is_flag=True, help="A national day off the office works instead.")
def day_off_add(day: str, name: str, working: bool) -> None:
    """Add DAY (YYYY-MM-DD) named NAME, e.g. 2027-05-03 "วันหยุดชดเชยวันพืชมงคล"."""
    row = _settled(lambda session, org_id: add_day_off(session, org_id, _day(day), name, working=working))
    click.echo(f"{row.day.isoformat()}\t{row.kind}\t{row.name_th}")


@day_off.command("remove")
@click.argument("day")
def day_off_remove(day: str) -> None:
    """Remove the organization's entry for DAY (YYYY-MM-DD)."""
    row = _settled(lambda session, org_id: remove_day_off(session, org_id, _day(day)))
    click.echo(f"removed {row.day.isoformat()} {row.name_th}")


@click.group("unit")
def unit() -> None:
    """The organization's units: names, responsible officer, phone, and which channel's guide names them."""


@unit.command("list")
def unit_list() -> None:
    """Every unit: code, flags, names, responsible officer, phone."""
    for row in _settled(units):
        flags = ",".join(f for f in UNIT_FLAGS if getattr(row, f)) or "-"
        click.echo("\t".join([row.code, flags, row.name_th, row.name_en, row.responsible_th or "-", row.phone or "-"]))


@unit.command("add")
@click.argument("code")
@click.argument("name_th")
@click.argument("name_en")
def unit_add(code: str, name_th: str, name_en: str) -> None:
    """Add a unit CODE (e.g. legal) named NAME_TH and NAME_EN."""
    made = _settled(lambda session, org_id: add_unit(session, org_id, code, name_th, name_en))
    click.echo(f"added unit {made.code}: {made.name_th}")


@unit.command("set")
@click.argument("code")
@click.argument("name", type=click.Choice([*UNIT_TEXTS, *UNIT_FLAGS]))
@click.argument("value")
def unit_set(code: str, name: str, value: str) -> None:
    """Set NAME of the unit CODE to VALUE (yes/no for the flags; empty clears a contact)."""
    stored = _settled(lambda session, org_id: set_unit_setting(session, org_id, code, name, value))
    click.echo(f"{code}.{name} = {'-' if stored is None else stored}")


@click.group("category")
def category() -> None:
    """The complaint categories each channel's form offers."""


@category.command("list")
def category_list() -> None:
    """Every category: channel, code, on the form or retired, names, examples."""
    for row in _settled(categories):
        click.echo("\t".join([row.channel, row.code, "on the form" if row.active else "retired", row.name_th, row.name_en,
                               row.examples_th or "-", row.examples_en or "-"]))


@category.command("add")
@click.argument("channel", type=click.Choice(CHANNELS))
@click.argument("code")
@click.argument("name_th")
@click.argument("name_en")
def category_add(channel: str, code: str, name_th: str, name_en: str) -> None:
    """Put a category CODE named NAME_TH and NAME_EN on CHANNEL's form (a retired one comes back)."""
    made = _settled(lambda session, org_id: add_category(session, org_id, channel, code, name_th, name_en))
    click.echo(f"{made.channel} category {made.code}: {made.name_th}")


@category.command("examples")
@click.argument("channel", type=click.Choice(CHANNELS))
@click.argument("code")
@click.argument("examples_th")
@click.argument("examples_en", required=False)
def category_examples(channel: str, code: str, examples_th: str, examples_en: str | None) -> None:
    """What people file under the category CODE, listed on CHANNEL's form and guide beside the names
    (e.g. "ถนน ไฟฟ้าส่องสว่าง ท่อระบายน้ำ" "roads, street lights, drains"). Without EXAMPLES_EN the
    English ones stay; an empty EXAMPLES_TH ("") clears both."""
    made = _settled(lambda session, org_id: set_category_examples(
        session, org_id, channel, code, examples_th, examples_en))
    click.echo(f"{made.channel} category {made.code}: {made.examples_th or '-'} / {made.examples_en or '-'}")


@category.command("retire")
@click.argument("channel", type=click.Choice(CHANNELS))
@click.argument("code")
def category_retire(channel: str, code: str) -> None:
    """Take the category CODE off CHANNEL's form; cases filed under it keep it."""
    gone = _settled(lambda session, org_id: retire_category(session, org_id, channel, code))
    click.echo(f"retired {gone.channel} category {gone.code}")
