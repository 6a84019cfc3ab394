"""App factory, configuration layering, security headers and the home page."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from alembic import command

from complaints import create_app
from complaints.config import DEV_SECRET_KEY
from complaints.migrate import alembic_config, upgrade
from complaints.web.context import get_store, startup_problem
from tests.conftest import make_test_app


def test_defaults_then_instance_file_then_environment(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text('ORG_SLUG = "from-file"\nMAX_ATTACHMENTS = 3\n')
    monkeypatch.setenv("COMPLAINTS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("COMPLAINTS_ORG_SLUG", "from-env")
    app = create_app()
    assert app.config["ORG_SLUG"] == "from-env"  # environment beats the instance file
    assert app.config["MAX_ATTACHMENTS"] == 3  # instance file beats defaults
    assert app.config["ARGON2_ITERATIONS"] == 3  # untouched default
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'complaints.db'}"
    assert app.config["KEYS_DIR"] == str(tmp_path / "keys")


def test_test_config_replaces_instance_file_and_environment(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text('ORG_SLUG = "from-file"\n')
    monkeypatch.setenv("COMPLAINTS_ORG_SLUG", "from-env")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    assert app.config["ORG_SLUG"] == "demo"


def test_production_refuses_development_secret(tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"INSTANCE_PATH": str(tmp_path), "ENV_NAME": "production", "SECRET_KEY": DEV_SECRET_KEY,
                    "DATABASE_URL": "postgresql+psycopg://x@127.0.0.1/x"})


@pytest.mark.parametrize("pad", [8, -1, "32k", True])
def test_a_padding_block_too_small_for_its_comment_is_refused(tmp_path, pad):
    with pytest.raises(ValueError, match="PAD_PAGES_TO must be 0"):
        create_app({"INSTANCE_PATH": str(tmp_path), "PAD_PAGES_TO": pad})


def test_production_refuses_a_short_secret_and_reads_env_name_in_any_case(tmp_path):
    # Before, "Production" silently meant development (no HSTS, no Secure cookie) and "abc" was
    # accepted as the key that signs sessions and CSRF tokens.
    with pytest.raises(RuntimeError, match="too short"):
        create_app({"INSTANCE_PATH": str(tmp_path), "ENV_NAME": "Production", "SECRET_KEY": "abc",
                    "DATABASE_URL": "postgresql+psycopg://x@127.0.0.1/x"})
    with pytest.raises(ValueError, match="ENV_NAME must be one of development, production"):
        create_app({"INSTANCE_PATH": str(tmp_path), "ENV_NAME": "prod", "SECRET_KEY": "s" * 40})
    app = create_app({"INSTANCE_PATH": str(tmp_path), "ENV_NAME": " PRODUCTION ", "SECRET_KEY": "s" * 40,
                      "DATABASE_URL": "postgres://x@127.0.0.1/x"})
    assert app.config["ENV_NAME"] == "production"
    assert app.config["DATABASE_URL"] == "postgresql+psycopg://x@127.0.0.1/x"  # not psycopg2's address


def test_production_refuses_sqlite(tmp_path):
    with pytest.raises(RuntimeError, match="PostgreSQL"):
        create_app({"INSTANCE_PATH": str(tmp_path), "ENV_NAME": "production", "SECRET_KEY": "s" * 40})


def test_home_page_is_thai_with_strict_headers(app):
    response = app.test_client().get("/")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert '<html lang="th">' in body and "เทศบาลตำบลตัวอย่าง" in body
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # No third-party origin anywhere in the page.
    assert not re.search(r"(src|href)=\"(https?:)?//", body)


def test_healthz_reaches_the_database(app):
    assert app.test_client().get("/healthz").get_json() == {"status": "ok"}


def test_the_limits_the_readme_gives_are_the_ones_an_app_gets_by_default(tmp_path):
    # The test apps loosen every limit; this one is built as `make run` builds it, so a default
    # loosened in the code (or documented wrongly) shows up.
    from pathlib import Path

    readme = " ".join((Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8").split())
    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}"})
    for key in ("FILING_RATE_LIMIT", "FILING_ATTEMPT_LIMIT", "TRACKING_RATE_LIMIT"):
        documented = re.search(rf"`{key}`, default `([^`]+)`", readme)
        assert documented, f"README gives no default for {key}"
        assert app.config[key] == documented.group(1), key


def test_an_app_ready_to_serve_has_no_start_up_problem(app):
    assert startup_problem(app) is None


def test_start_up_names_a_missing_organization(tmp_path, db_url):
    bare = make_test_app(tmp_path / "no-org", db_url)  # keys and schema, no organization row
    assert startup_problem(bare) == "organization 'demo' not found: run 'complaints init'"
    get_store(bare).engine.dispose()


def test_start_up_names_a_missing_key(app, tmp_path):
    keys = Path(app.config["KEYS_DIR"])
    next(keys.glob("kek-corruption-identity-*.key")).unlink()
    get_store(app).vault.keyring.reload()
    problem = startup_problem(app)
    assert problem.startswith("no key for corruption-identity") and "restore the key files from the key backup" in problem


def test_start_up_names_an_old_schema(app):
    engine = get_store(app).engine
    command.downgrade(alembic_config(engine), "0007")
    try:
        assert startup_problem(app) == "the database schema is missing or old: run 'complaints init'"
    finally:
        upgrade(engine)  # the PostgreSQL schema is shared with the next test


@pytest.mark.parametrize("host", ["a..b", "x" * 64 + ".example", "h" * 254])
def test_a_host_header_that_cannot_be_routed_gets_a_plain_400_not_a_crash(app, host):
    # With no URL adapter, the error page's links cannot be built; the answer is the message alone.
    response = app.test_client().get("/", environ_overrides={"HTTP_HOST": host})
    assert response.status_code == 400
    assert response.mimetype == "text/plain" and "คำขอไม่ถูกต้อง" in response.get_data(as_text=True)
    assert "no-store" in response.headers["Cache-Control"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_start_up_names_an_attachment_folder_it_cannot_write(app):
    # Before, the server started and the first filing with a photo was a 500 that lost the report.
    blobs = get_store(app).vault.blob_dir
    blobs.parent.mkdir(parents=True, exist_ok=True)
    blobs.write_bytes(b"")  # a file where the folder belongs
    try:
        assert startup_problem(app) == f"the attachment folder {blobs} is not a folder this account can write (BLOB_DIR)"
    finally:
        blobs.unlink()
    assert startup_problem(app) is None
