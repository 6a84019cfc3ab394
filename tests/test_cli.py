"""The ``complaints`` command: init, demo, create-staff, and serve answering on a real port."""
from __future__ import annotations

import stat
import time
import urllib.request
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from complaints.cli import main
from complaints.db import make_engine, make_session_factory
from complaints.models import Case, CaseAlert, Category, Organization, StaffUser, Unit
from tests.live_server import FAST_ENV, live_server


def run(instance: Path, *args: str, **env: str):
    result = CliRunner().invoke(main, list(args), env={"COMPLAINTS_INSTANCE_PATH": str(instance), **FAST_ENV, **env},
                                catch_exceptions=False)
    return result


def test_init_creates_instance_keys_database_and_demo_org(tmp_path):
    instance = tmp_path / "instance"
    result = run(instance, "init")
    assert result.exit_code == 0, result.output
    keys = sorted(p.name for p in (instance / "keys").iterdir())
    assert len([k for k in keys if k.startswith("kek-")]) == 4 and "index.key" in keys
    for path in (instance / "keys").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((instance / "keys").stat().st_mode) == 0o700
    # The database's dates and sizes are for the service account only, as the keys are.
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    for path in instance.glob("complaints.db*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert "SECRET_KEY" in (instance / "config.py").read_text()
    assert stat.S_IMODE((instance / "config.py").stat().st_mode) == 0o600
    # This kernel confines all of it (tests/test_confine.py checks it does).
    assert "upload cleaner's child: files its own code, read-only (Landlock ABI" in result.output
    assert "forks, the worker's memory and file modes refused (seccomp)" in result.output and "WARNING" not in result.output
    engine = make_engine(f"sqlite:///{instance / 'complaints.db'}")
    with make_session_factory(engine)() as s:
        org = s.scalar(select(Organization))
        assert org.name_th == "เทศบาลตำบลตัวอย่าง"
        assert s.scalar(select(func.count()).select_from(Unit)) >= 5
        assert {c.channel for c in s.scalars(select(Category))} == {"general", "corruption"}
    engine.dispose()
    # Repeating init keeps keys and secret (make run calls it every time).
    secret = (instance / "config.py").read_text()
    again = run(instance, "init")
    assert again.exit_code == 0 and "created key" not in again.output
    assert sorted(p.name for p in (instance / "keys").iterdir()) == keys
    assert (instance / "config.py").read_text() == secret


def test_init_closes_an_instance_folder_that_came_open_with_the_clone(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    (instance / "config.sample.py").write_text("# tracked in git\n")
    instance.chmod(0o755)
    assert run(instance, "init").exit_code == 0
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700


def test_init_warns_when_the_kernel_cannot_confine_the_upload_parser(tmp_path, monkeypatch):
    from complaints import cli

    monkeypatch.setattr(cli, "landlock_abi", lambda: 0)
    result = run(tmp_path / "instance", "init")
    assert result.exit_code == 0 and "WARNING: upload cleaner's child: files NOT confined" in result.output
    assert 'set UPLOAD_CONFINEMENT = "required" to refuse attachments instead' in result.output
    strict = run(tmp_path / "instance", "init", COMPLAINTS_UPLOAD_CONFINEMENT="required")
    assert strict.exit_code == 0 and 'attachments are REFUSED (UPLOAD_CONFINEMENT = "required")' in strict.output


def test_office_holders_are_added_listed_and_ended(tmp_path):
    instance = tmp_path / "instance"
    assert run(instance, "init").exit_code == 0
    assert "นายสมปอง ตัวอย่างดี\tนายกเทศมนตรีตำบลตัวอย่าง\tin office" in run(instance, "office-holder", "list").output
    added = run(instance, "office-holder", "add", "นางมณี  ใหม่มา", "--position", "สมาชิกสภาเทศบาล เขต 2")
    assert added.exit_code == 0 and "มณีใหม่มา" in added.output and "นายกมณี" in added.output  # what is searched
    assert "นางมณี ใหม่มา\tสมาชิกสภาเทศบาล เขต 2\tin office" in run(instance, "office-holder", "list").output
    assert run(instance, "office-holder", "end", "นางมณี ใหม่มา").exit_code == 0
    assert "นางมณี ใหม่มา\tสมาชิกสภาเทศบาล เขต 2\tended" in run(instance, "office-holder", "list").output
    assert run(instance, "office-holder", "add", "นายไม่มี ตำแหน่ง").exit_code != 0
    no_surname = run(instance, "office-holder", "add", "นายมณี", "--position", "สมาชิกสภาเทศบาล")
    assert no_surname.exit_code != 0 and "นามสกุล" in no_surname.output
    assert run(instance, "office-holder", "end", "นายไม่เคย มีชื่อ").exit_code != 0


def test_demo_files_through_the_real_function_and_audit_is_intact(tmp_path, db_url):
    instance = tmp_path / "instance"
    assert run(instance, "init", COMPLAINTS_DATABASE_URL=db_url).exit_code == 0
    result = run(instance, "demo", "--count", "25", COMPLAINTS_DATABASE_URL=db_url)
    assert result.exit_code == 0, result.output
    engine = make_engine(db_url)
    with make_session_factory(engine)() as s:
        cases = s.scalars(select(Case)).all()
        assert len(cases) == 25
        assert {c.channel for c in cases} == {"general", "corruption"}
        assert all(c.event_count == 1 and c.story_ct for c in cases)
    engine.dispose()
    audit = run(instance, "verify-audit", COMPLAINTS_DATABASE_URL=db_url)
    assert audit.exit_code == 0 and "intact for 25 cases" in audit.output


def test_init_refuses_to_replace_a_lost_key_that_cases_are_sealed_under(tmp_path, db_url):
    # Before, init made a new index.key or KEK in the lost one's place, said "created key" and
    # exited 0: every tracking code was then "not found", every audit chain "tampered", and the
    # cases under a replaced KEK unreadable; the missing-key errors even told the admin to run it.
    instance, env = tmp_path / "instance", {"COMPLAINTS_DATABASE_URL": db_url}
    assert run(instance, "init", **env).exit_code == 0
    assert run(instance, "demo", "--count", "25", **env).exit_code == 0  # both channels (test above)
    keys = instance / "keys"
    for lost in ("index.key", next(p.name for p in keys.glob("kek-general-story-*.key"))):
        backup = (keys / lost).read_bytes()
        (keys / lost).unlink()
        before = sorted(p.name for p in keys.iterdir())
        refused = run(instance, "init", **env)
        assert refused.exit_code != 0 and "restore the key files from the key backup" in refused.output, refused.output
        family = "index" if lost == "index.key" else "general-story"
        assert f"({family}: " in refused.output and (family != "index" or "index: 25 cases" in refused.output)
        assert sorted(p.name for p in keys.iterdir()) == before  # nothing made
        (keys / lost).write_bytes(backup)
    assert run(instance, "verify-audit", **env).exit_code == 0


def test_init_still_makes_a_missing_key_no_case_is_sealed_under(tmp_path):
    instance = tmp_path / "instance"
    assert run(instance, "init").exit_code == 0
    (next((instance / "keys").glob("kek-corruption-identity-*.key"))).unlink()
    again = run(instance, "init")
    assert again.exit_code == 0 and "created key kek-corruption-identity-" in again.output


def test_verify_audit_asks_about_the_root_key_when_every_chain_fails(tmp_path):
    instance = tmp_path / "instance"
    assert run(instance, "init").exit_code == 0 and run(instance, "demo", "--count", "3").exit_code == 0
    (instance / "keys" / "index.key").write_bytes(bytes(32))
    audit = run(instance, "verify-audit")
    assert audit.exit_code == 1 and "is this the root key (index.key) the cases were filed under?" in audit.output


def test_create_staff_stores_only_an_argon2id_hash(tmp_path):
    instance = tmp_path / "instance"
    run(instance, "init")
    password = "ยาวพอสมควร-long-enough-42"
    result = run(instance, "create-staff", "legal1", "--name", "นิติกร", "--role", "legal", "--unit", "legal",
                 COMPLAINTS_STAFF_PASSWORD=password)
    assert result.exit_code == 0, result.output
    engine = make_engine(f"sqlite:///{instance / 'complaints.db'}")
    with make_session_factory(engine)() as s:
        user = s.scalar(select(StaffUser))
        assert user.roles == {"legal"} and user.password_hash.startswith("$argon2id$")
        assert password not in user.password_hash
    engine.dispose()
    short = run(instance, "create-staff", "x", "--name", "x", "--role", "intake", COMPLAINTS_STAFF_PASSWORD="short")
    assert short.exit_code != 0 and "12" in short.output


def test_serve_answers_a_page_on_loopback(tmp_path):
    with live_server(tmp_path) as (base, _log):
        with urllib.request.urlopen(f"{base}/", timeout=5) as resp:
            assert resp.status == 200
            assert "เทศบาลตำบลตัวอย่าง" in resp.read().decode()


def test_serve_runs_the_deadline_sweep_beside_the_server(tmp_path):
    # Demo filings are spread over the last 60 days, so some are past their 15-day notice date;
    # only a scheduler running inside ``serve`` can flag them while the server is up.
    with live_server(tmp_path, ["demo", "--count", "30"]):
        engine = make_engine(f"sqlite:///{tmp_path / 'instance' / 'complaints.db'}")
        deadline = time.monotonic() + 30
        with make_session_factory(engine)() as s:
            while not s.scalar(select(func.count()).select_from(Case).where(Case.overdue)):
                assert time.monotonic() < deadline, "serve did not sweep within 30 s"
                s.rollback()
                time.sleep(0.2)
            assert s.scalar(select(func.count()).select_from(CaseAlert)) > 0
        engine.dispose()


def test_the_scheduler_refuses_to_start_on_an_instance_it_cannot_serve(tmp_path):
    # Before, it printed "scheduler running" and then a traceback every quarter of an hour.
    unprepared = run(tmp_path / "instance", "scheduler")
    assert unprepared.exit_code != 0 and "cannot run the scheduler: " in unprepared.output
    assert "complaints init" in unprepared.output
    assert "scheduler running" not in unprepared.output
    # Nor an empty database file left behind, that a backup or the next look takes for the database.
    assert not list((tmp_path / "instance").glob("complaints.db*"))


def test_upkeep_commands_on_an_unprepared_instance_say_run_init_and_make_no_database(tmp_path):
    instance = tmp_path / "instance"
    for args in (["organization", "show"], ["day-off", "list"], ["office-holder", "list"], ["demo"],
                 ["create-staff", "somchai", "--name", "สมชาย", "--role", "intake"], ["backup", str(tmp_path / "b")]):
        result = run(instance, *args, COMPLAINTS_STAFF_PASSWORD="a long enough password")
        assert result.exit_code != 0 and "there is no database file at " in result.output, (args, result.output)
        assert "run 'complaints init'" in result.output and "Traceback" not in result.output
        assert not list(instance.glob("complaints.db*")), args


def test_commands_that_open_no_channel_key_run_without_one(tmp_path):
    # Before, backup, verify-audit and the upkeep commands all asked for every key, and for an
    # attachment folder they could write, though they open neither.
    instance = tmp_path / "instance"
    assert run(instance, "init").exit_code == 0 and run(instance, "demo", "--count", "3").exit_code == 0
    next((instance / "keys").glob("kek-corruption-identity-*.key")).unlink()
    unwritable = {"COMPLAINTS_BLOB_DIR": str(instance / "config.py" / "blobs")}  # a file's "folder": root too
    for args in (["verify-audit"], ["backup", str(tmp_path / "b")], ["organization", "show"], ["office-holder", "list"]):
        result = run(instance, *args, **unwritable)
        assert result.exit_code == 0, (args, result.output)
    refused = run(instance, "sweep")
    assert refused.exit_code != 0 and "no key for corruption-identity" in refused.output


def test_a_database_that_cannot_be_reached_is_named_with_the_drivers_reason(tmp_path):
    # Before, a refused connection and a missing database both read "(OperationalError): run init".
    assert run(tmp_path / "instance", "init").exit_code == 0
    down = run(tmp_path / "instance", "scheduler", COMPLAINTS_DATABASE_URL="postgres://postgres@127.0.0.1:9/test")
    assert down.exit_code != 0 and "the database cannot be opened (" in down.output
    assert "refused" in down.output.lower() and "check DATABASE_URL" in down.output


def test_demo_files_nothing_in_production(tmp_path):
    refused = run(tmp_path / "instance", "demo", COMPLAINTS_ENV_NAME="production", COMPLAINTS_SECRET_KEY="s" * 40,
                  COMPLAINTS_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:9/none")
    assert refused.exit_code != 0 and "not in production" in refused.output


def test_commands_name_a_database_they_cannot_reach_instead_of_a_traceback(tmp_path):
    down = {"COMPLAINTS_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:9/none"}
    for args in (["init"], ["sweep"], ["verify-audit"]):
        result = run(tmp_path / "instance", *args, **down)
        assert result.exit_code != 0 and "the database cannot be opened (" in result.output, (args, result.output)
        assert "Traceback" not in result.output
