"""The ``complaints`` commands that look after keys and data: rotate-keys, backup, verify-audit;
and new-migration, a developer's.

They are added to the ``complaints`` group in ``cli.py``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from alembic.util import CommandError
from flask import Flask
from sqlalchemy import func, select

from complaints import create_app
from complaints.backup import BackupRefused, back_up
from complaints.migrate import new_revision
from complaints.models import Case
from complaints.rotation import SETTLE_SECONDS, rotate_keys
from complaints.web.context import KeysNeeded, get_store, startup_problem
from complaints.workflow.history import verify_all


def ready_app(doing: str, *, blobs: bool = True, keys: KeysNeeded = "all") -> Flask:
    """The app, once ``startup_problem`` finds nothing against ``doing`` it (serve, rotate …);
    ``blobs`` and ``keys`` say what ``doing`` needs beside the database (``startup_problem``)."""
    app = create_app()
    problem = startup_problem(app, blobs=blobs, keys=keys)
    if problem:
        raise click.ClickException(f"cannot {doing}: {problem}")
    return app


@click.command("rotate-keys")
@click.option("--batch", default=500, show_default=True, help="Cases re-wrapped per transaction.")
@click.option("--settle-seconds", default=SETTLE_SECONDS, show_default=True,
              help="Wait for filings under way, then re-wrap what they committed under the old keys.")
def rotate_keys_cmd(batch: int, settle_seconds: float) -> None:
    """New KEKs for every channel and purpose; re-wrap all DEKs while the system keeps serving."""
    store = get_store(ready_app("rotate"))  # before any key file is written: a failed rotation leaves keys
    click.echo(f"re-wrapping; then waiting {settle_seconds:g} s for filings under way and re-wrapping again")
    report = rotate_keys(store.sessions, store.vault, batch=batch, settle_seconds=settle_seconds)
    for name in report.new_keys:
        click.echo(f"new key {name}")
    click.echo(f"re-wrapped {report.rewrapped} cases; {report.remaining} still under an older key")
    if report.remaining:
        click.echo("run rotate-keys again before deleting old key files", err=True)
        sys.exit(1)
    click.echo("old key files may now be deleted from the keys folder (keep a sealed backup)")


@click.command()
@click.argument("destination", type=click.Path(file_okay=False, path_type=Path))
def backup(destination: Path) -> None:
    """Copy the database (a consistent snapshot, while serving) and the attachment files into
    DESTINATION; the keys are not included: back them up apart."""
    # The wrong database, an empty one, or none: its backup would be none. Keys it never opens.
    app = ready_app("back up", blobs=False, keys="none")
    store = get_store(app)
    try:
        report = back_up(store.engine, store.vault.blob_dir, destination,
                         keep_out=(store.vault.keyring.keys_dir, Path(app.instance_path)))
    except BackupRefused as exc:
        raise click.ClickException(str(exc)) from exc
    with store.sessions() as session:
        cases = session.scalar(select(func.count()).select_from(Case))
    click.echo(f"database copied to {report.database} ({cases} cases); attachment files: "
               f"{report.files_copied} copied, {report.files_kept} already there")
    click.echo(f"the keys are NOT in this backup: keep a copy of {store.vault.keyring.keys_dir} apart from it, "
               "and again after every rotate-keys")
    if report.files_missing:
        raise click.ClickException(
            f"{report.files_missing} attachment files the database names are not in {store.vault.blob_dir} nor in"
            " this backup: a restore would bring those cases back without their evidence; check BLOB_DIR")


@click.command("verify-audit")
def verify_audit() -> None:
    """Check every case's event chain; name each broken case and exit non-zero."""
    store = get_store(ready_app("verify the audit chains", blobs=False, keys="root"))
    with store.sessions() as session:
        broken = verify_all(session, store.vault.keyring.audit_key)
        total = session.query(Case).count()
        for case_id, problems in broken.items():
            case = session.get(Case, case_id)
            label = case.case_number if case else str(case_id)
            click.echo(f"TAMPERED {label} ({case_id}): {'; '.join(problems)}")
    if broken:
        click.echo(f"{len(broken)} of {total} cases have a broken audit chain", err=True)
        if len(broken) == total > 1:
            click.echo("every case fails: is this the root key (index.key) the cases were filed under?", err=True)
        sys.exit(1)
    click.echo(f"audit chain intact for {total} cases")


@click.command("new-migration")
@click.argument("message")
def new_migration(message: str) -> None:
    """Write the next numbered migration after a change to the models (for developers).

    It compares the models with the configured database, which must be at the newest migration
    (run 'complaints init' first). Compare against PostgreSQL where you can, with
    COMPLAINTS_DATABASE_URL: SQLite reports fewer type differences.
    """
    app = create_app()
    if app.config["ENV_NAME"] == "production":  # it writes into the installed package
        raise click.ClickException("new-migration is for a development checkout, not production")
    try:
        path = new_revision(get_store(app).engine, message)
    except CommandError as exc:  # "Target database is not up to date", and the like
        raise click.ClickException(f"cannot write a migration: {exc}") from exc
    click.echo(f"wrote {path}: read it before committing it (autogenerate misses renames and some defaults)")
