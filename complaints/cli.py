"""The ``complaints`` command: init, serve, scheduler, sweep, create-staff, office-holder, demo; from
``cli_care`` rotate-keys, backup and verify-audit; from ``cli_org`` organization, day-off, unit and
category."""
from __future__ import annotations

import logging
import os
import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from complaints import cli_care, cli_org, create_app, crypto, syscallfilter
from complaints.confine import landlock_abi
from complaints.migrate import upgrade
from complaints.models import StaffRole, StaffUser, Unit
from complaints.scheduler import build_scheduler, run_sweep
from complaints.seed import ensure_demo_org, file_demo_complaints
from complaints.store import families_in_use
from complaints.vocab import ROLES
from complaints.web.context import database_problem, get_store
from complaints.web.serving import AddresslessRequestHandler, BangkokDayFormatter
from complaints.workflow.executives import OfficeHolderError, add_office_holder, end_office_holder


def _app() -> Flask:
    return create_app()


def _configured_app(doing: str) -> Flask:
    # The database and the organization, not the keys or the attachment folder: staff accounts
    # and office holders are plain rows, and a missing channel key must not stop their upkeep.
    return cli_care.ready_app(doing, blobs=False, keys="none")


@click.group()
def main() -> None:
    """ระบบรับเรื่องร้องเรียน / complaint and whistleblower intake."""


@main.command()
@click.option("--no-demo-org", is_flag=True, help="Do not create the demo organization.")
def init(no_demo_org: bool) -> None:
    """Create the instance folder, keys and database, and a demo organization. Safe to repeat."""
    app = _app()
    instance = Path(app.instance_path)
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    instance.chmod(0o700)  # a git clone brings instance/ as 0755: the database's times and sizes showed
    config_file = instance / "config.py"
    if not config_file.exists():
        # Made 0600 before the secret is written, never readable by others in between.
        with os.fdopen(os.open(config_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
            out.write("# Written by 'complaints init'; see instance/config.sample.py for every setting.\n"
                      f"SECRET_KEY = {secrets.token_urlsafe(48)!r}\n")
        app = _app()  # read the secret just written
    store = get_store(app)
    keyring = store.vault.keyring
    try:
        in_use = families_in_use(store.engine)
    except SQLAlchemyError as exc:  # the first touch of the database: say why, not a traceback
        raise click.ClickException(database_problem(exc)) from exc
    lost = {family: n for family, n in in_use.items() if family in keyring.missing()}
    if lost:
        raise click.ClickException(
            f"keys missing in {keyring.keys_dir} for cases that exist ("
            + ", ".join(f"{family}: {n} cases" for family, n in sorted(lost.items()))
            + "). A new key would open none of them and every tracking code would be 'not found'; "
            "restore the key files from the key backup (or set COMPLAINTS_KEK_*/COMPLAINTS_INDEX_KEY). "
            "Nothing was changed.")
    made = keyring.create_missing()
    for name in made:
        click.echo(f"created key {name} in {store.vault.keyring.keys_dir}")
    upgrade(store.engine)
    click.echo(f"database ready: {store.engine.url.render_as_string(hide_password=True)}")
    if not no_demo_org:
        with store.sessions() as session, session.begin():
            org, created = ensure_demo_org(session, app.config["ORG_SLUG"])
            click.echo(("created" if created else "found") + f" organization {org.slug}: {org.name_th}")
    click.echo(_confinement_report(app.config["UPLOAD_CONFINEMENT"] == "required"))


def _confinement_report(required: bool) -> str:
    # Said at every start (make run calls init), so an office on an old kernel learns what its
    # upload parsers are not kept from doing (the time, memory and environment limits always hold),
    # or, with UPLOAD_CONFINEMENT = "required", that attachments are refused.
    abi, filtered = landlock_abi(), syscallfilter.supported()
    files = f"its own code, read-only (Landlock ABI {abi})" if abi else "NOT confined (this kernel has no Landlock)"
    calls = ("sockets, signals, forks, the worker's memory and file modes refused (seccomp)" if filtered
             else "NOT filtered (seccomp numbers unknown for this machine)")
    report = f"upload cleaner's child: files {files}; {calls}"
    if abi and filtered:
        return report
    if required:
        return f"WARNING: {report}; attachments are REFUSED (UPLOAD_CONFINEMENT = \"required\")"
    return f"WARNING: {report}; set UPLOAD_CONFINEMENT = \"required\" to refuse attachments instead"


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Run the development server with the scheduler beside it; no client address is logged."""
    app = cli_care.ready_app("serve")
    scheduler = build_scheduler(app, background=True) if app.config["SCHEDULER_IN_SERVE"] else None
    if scheduler:
        scheduler.start()
    try:
        handler = type("RequestHandler", (AddresslessRequestHandler,), {"access_log": app.config["SERVE_ACCESS_LOG"]})
        app.run(host=host, port=port, use_reloader=False, threaded=True, request_handler=handler)
    finally:
        if scheduler:
            scheduler.shutdown(wait=False)


@main.command()
def scheduler() -> None:
    """Run the scheduler in its own process (production: one per deployment)."""
    app = cli_care.ready_app("run the scheduler")  # not "running", then a traceback every quarter hour
    handler = logging.StreamHandler()
    handler.setFormatter(BangkokDayFormatter("[%(asctime)s] %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)  # the sweeps' counts, warnings
    click.echo("scheduler running (Asia/Bangkok); Ctrl+C stops it")
    build_scheduler(app, background=False).start()


@main.command()
@click.option("--now", "now_text", default=None, help="ISO instant to sweep for, e.g. 2025-04-26T08:00+07:00.")
@click.option("--future", is_flag=True, help="Allow an instant later than now (on a copy of the data).")
def sweep(now_text: str | None, future: bool) -> None:
    """Run the deadline sweep once, for now or for a given instant."""
    now = datetime.now(timezone.utc)
    if now_text:
        wanted = datetime.fromisoformat(now_text)
        if wanted.tzinfo is None:
            raise click.ClickException("--now needs a time zone, e.g. +07:00")
        # The sweep writes what it finds: for a later day, cases not yet late are escalated for
        # good, and the alerts stay after the next real sweep clears the overdue marks.
        if wanted > now + timedelta(minutes=5) and not future:
            raise click.ClickException("--now is in the future: that sweep would mark cases overdue and escalate"
                                       " them for real; pass --future to do it anyway (on a copy of the data)")
        now = wanted
    report = run_sweep(cli_care.ready_app("sweep"), now)
    if report.skipped:
        click.echo("another scheduler holds the sweep lock; nothing done")
        return
    click.echo(f"sweep for {report.today}: {report.newly_overdue} newly overdue, {report.cleared} cleared, "
               f"{report.reminders} reminders, {report.escalations} escalations")


@main.command("create-staff")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="Display name (Thai).")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES))
@click.option("--unit", "unit_code", default=None, help="Unit code, e.g. legal.")
@click.password_option(envvar="COMPLAINTS_STAFF_PASSWORD", help="Read from a prompt or the env var.")
def create_staff(username: str, display_name: str, roles: tuple[str, ...], unit_code: str | None,
                 password: str) -> None:
    """Create a staff account; only an Argon2id hash of the password is stored."""
    if len(password) < 12:
        raise click.ClickException("รหัสผ่านต้องยาวอย่างน้อย 12 ตัวอักษร / password needs 12+ characters")
    app = _configured_app("create a staff account")
    with get_store(app).sessions() as session, session.begin():
        org = cli_org.org_of(session, app)
        unit_id = None
        if unit_code:
            unit_id = session.scalar(select(Unit.id).where(Unit.org_id == org.id, Unit.code == unit_code))
            if unit_id is None:
                raise click.ClickException(f"unit {unit_code!r} not found")
        if session.scalar(select(StaffUser.id).where(StaffUser.org_id == org.id, StaffUser.username == username)):
            raise click.ClickException(f"user {username!r} already exists")
        pw_hash = crypto.hash_password(
            password, memory_kib=app.config["ARGON2_MEMORY_KIB"],
            iterations=app.config["ARGON2_ITERATIONS"], lanes=app.config["ARGON2_LANES"],
        )
        session.add(StaffUser(
            org_id=org.id, username=username, display_name=display_name, password_hash=pw_hash,
            unit_id=unit_id, created_at=datetime.now(timezone.utc),
            role_rows=[StaffRole(role=r) for r in sorted(set(roles))],
        ))
    click.echo(f"created {username} ({', '.join(sorted(set(roles)))})")


@main.command("office-holder")
@click.argument("action", type=click.Choice(["list", "add", "end"]))
@click.argument("name", required=False)
@click.option("--position", default=None, help="e.g. นายกเทศมนตรี, สมาชิกสภาเทศบาล เขต 1 (for add).")
def office_holder(action: str, name: str | None, position: str | None) -> None:
    """List the office holders, add one (NAME --position), or end one's term (NAME).

    A corruption report that names one, present or former, anywhere in its words is flagged, as
    one giving the title in its accused fields is. Web workers see a change within ORG_CACHE_SECONDS.
    """
    app = _configured_app("change the office holders")
    with get_store(app).sessions() as session, session.begin():
        org = cli_org.org_of(session, app)
        try:
            if action == "list":
                for holder in org.office_holders:
                    state = "in office" if holder.active else "ended"
                    click.echo(f"{holder.name_th}\t{holder.position_th}\t{state}")
            elif action == "add":
                holder, keys = add_office_holder(session, org.id, name or "", position or "")
                click.echo(f"add: {holder.name_th} (reports are searched for: {', '.join(sorted(keys))})")
            else:
                click.echo(f"end: {end_office_holder(session, org.id, name or '').name_th}")
        except OfficeHolderError as exc:
            raise click.ClickException(str(exc)) from exc


@main.command()
@click.option("--count", default=20, show_default=True, type=click.IntRange(1, 100_000))
def demo(count: int) -> None:
    """File COUNT realistic sample complaints through the real filing function."""
    if _app().config["ENV_NAME"] == "production":  # they would enter the office's queue, counted and due
        raise click.ClickException("demo files sample complaints as real cases: not in production")
    app = cli_care.ready_app("file sample complaints")
    with get_store(app).sessions() as session, session.begin():
        filings = file_demo_complaints(session, cli_org.org_of(session, app), count, datetime.now(timezone.utc),
                                       seed=int.from_bytes(os.urandom(4), "big"))
        numbers = [f.case.case_number for f in filings]
    click.echo(f"filed {len(numbers)} complaints: {numbers[0]} … {numbers[-1]}")


for command in (cli_care.rotate_keys_cmd, cli_care.backup, cli_care.verify_audit, cli_care.new_migration,
                cli_org.organization, cli_org.day_off, cli_org.unit, cli_org.category):
    main.add_command(command)
