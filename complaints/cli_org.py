"""``complaints organization`` and ``complaints day-off``: an office sets itself up and keeps
its own days off, through ``workflow.org_settings``. Running servers see a change within
``ORG_CACHE_SECONDS``."""
from __future__ import annotations

from datetime import date

import click
from flask import Flask
from sqlalchemy import select

from complaints import create_app
from complaints.models import Organization
from complaints.web.context import get_store
from complaints.workflow.org_settings import (
    SettingError,
    add_day_off,
    days_off,
    remove_day_off,
    set_setting,
    setting_names,
    show,
)


def _org(session, app: Flask) -> Organization:  # type: ignore[no-untyped-def]
    org = session.scalar(select(Organization).where(Organization.slug == app.config["ORG_SLUG"]))
    if org is None:
        raise click.ClickException(f"organization {app.config['ORG_SLUG']!r} not found; run 'complaints init'")
    return org


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date of the Common Era as YYYY-MM-DD (e.g. 2027-05-03)") from None


@click.group("organization")
def organization() -> None:
    """Show or change the organization's names, contacts and time frames (the guides publish them)."""


@organization.command("show")
def organization_show() -> None:
    """Every setting and its value."""
    app = create_app()
    with get_store(app).sessions() as session:
        for name, value in show(_org(session, app)).items():
            click.echo(f"{name}\t{value}")


@organization.command("set")
@click.argument("name", type=click.Choice(setting_names()))
@click.argument("value")
def organization_set(name: str, value: str) -> None:
    """Set NAME to VALUE (an empty VALUE clears an optional text)."""
    app = create_app()
    with get_store(app).sessions() as session, session.begin():
        try:
            stored = set_setting(_org(session, app), name, value)
        except SettingError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"{name} = {'-' if stored is None else stored}")


@click.group("day-off")
def day_off() -> None:
    """The organization's own days off (and national ones it works), for due dates counted in
    working days."""


@day_off.command("list")
def day_off_list() -> None:
    """Every day of the organization's own, by date."""
    app = create_app()
    with get_store(app).sessions() as session:
        for row in days_off(session, _org(session, app).id):
            click.echo(f"{row.day.isoformat()}\t{row.kind}\t{row.name_th}")


@day_off.command("add")
@click.argument("day")
@click.argument("name")
@click.option("--working", is_flag=True, help="A national day off the office works instead.")
def day_off_add(day: str, name: str, working: bool) -> None:
    """Add DAY (YYYY-MM-DD) named NAME, e.g. 2027-05-03 "วันหยุดชดเชยวันพืชมงคล"."""
    app = create_app()
    with get_store(app).sessions() as session, session.begin():
        try:
            row = add_day_off(session, _org(session, app).id, _day(day), name, working=working)
        except SettingError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"{row.day.isoformat()}\t{row.kind}\t{row.name_th}")


@day_off.command("remove")
@click.argument("day")
def day_off_remove(day: str) -> None:
    """Remove the organization's entry for DAY (YYYY-MM-DD)."""
    app = create_app()
    with get_store(app).sessions() as session, session.begin():
        try:
            row = remove_day_off(session, _org(session, app).id, _day(day))
        except SettingError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"removed {row.day.isoformat()} {row.name_th}")
