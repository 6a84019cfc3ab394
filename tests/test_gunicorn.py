"""Production serving: gunicorn with complaints/web/gunicorn_conf.py, on each database.

Its workers are forked from a master that loaded the app and checked the instance, so they must
not share the master's database connections, and the PDF fonts the master built must serve them.
What it logs and how it refuses are checked with `complaints serve` in test_web_privacy.py.
"""
from __future__ import annotations

import http.cookiejar
import io
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from complaints.db import make_engine
from complaints.models import Attachment, Case
from complaints.web import gunicorn_conf
from complaints.web.context import get_store
from complaints.web.gunicorn_parts import AddresslessLogger
from tests.live_server import FAST_ENV, free_port, live_server, serve_command
from tests.web_helpers import CORRUPTION, GENERAL

TOKENS = re.compile(r'<input id="(csrf_token|form_nonce)" name="[^"]+" type="hidden" value="([^"]+)"')
PDF_FORM = re.compile(r'name="(csrf_token|pdf_token)"[^>]* value="([^"]+)"')


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 40, 40)).save(out, "PNG")
    return out.getvalue()


def _file_with_a_photo_and_take_the_pdf(base: str, path: str, fields: dict[str, str]) -> bytes:
    """One citizen's whole visit: the form, a filing with a photo, the receipt, its PDF."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = opener.open(base + path, timeout=30).read().decode()
    category = re.search(r'<option value="(\d+)"', form).group(1)
    values = MultiDict({**fields, **dict(TOKENS.findall(form)), "category": category})
    values.add("attachments", FileStorage(io.BytesIO(_photo()), "photo.png", content_type="image/png"))
    boundary, body = encode_multipart(values)
    request = urllib.request.Request(base + path, data=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}"})
    receipt = opener.open(request, timeout=60)
    page = receipt.read().decode()
    assert receipt.geturl().endswith("/receipt") and "tracking-code" in page
    pdf = opener.open(base + "/receipt.pdf", data=urllib.parse.urlencode(dict(PDF_FORM.findall(page))).encode(),
                      timeout=60)
    return pdf.read()


def test_gunicorn_workers_file_both_channels_at_once_with_photos_and_pdf_receipts(tmp_path, db_url):
    # Several at once, so both workers serve some: a connection inherited from the master and used
    # by two workers at once garbles or fails their statements.
    visits = [("/general/new", GENERAL), ("/corruption/new", CORRUPTION)] * 4
    env = {"COMPLAINTS_DATABASE_URL": db_url}
    with live_server(tmp_path, env_extra=env, server="gunicorn") as (base, log):
        with ThreadPoolExecutor(max_workers=len(visits)) as pool:
            pdfs = list(pool.map(lambda visit: _file_with_a_photo_and_take_the_pdf(base, *visit), visits))
    text = log.read_text(errors="replace")
    assert all(pdf.startswith(b"%PDF-") for pdf in pdfs), text
    assert "Traceback" not in text and "ERROR" not in text, text
    assert len(set(re.findall(r"Booting worker with pid: (\d+)", text))) == 2
    engine = make_engine(db_url)
    with engine.connect() as conn:
        by_channel = dict(conn.execute(select(Case.channel, func.count()).group_by(Case.channel)).all())
        assert by_channel == {"general": 4, "corruption": 4}
        assert conn.scalar(select(func.count()).select_from(Attachment)) == 8
    engine.dispose()


def test_the_master_forks_its_workers_holding_no_database_connection(tmp_path, db_url, monkeypatch):
    instance = tmp_path / "instance"
    env = {**FAST_ENV, "COMPLAINTS_INSTANCE_PATH": str(instance), "COMPLAINTS_DATABASE_URL": db_url}
    subprocess.run([sys.executable, "-m", "complaints", "init"], env={**os.environ, **env}, check=True,
                   capture_output=True)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("complaints.wsgi", None)
    try:
        cfg = Config()
        cfg.set("worker_class", gunicorn_conf.worker_class)
        server = SimpleNamespace(cfg=cfg, log=AddresslessLogger(cfg), num_workers=2)
        gunicorn_conf.when_ready(server)  # as gunicorn calls it, after loading the app
        app = sys.modules["complaints.wsgi"].app
        assert get_store(app).engine.pool.checkedin() == 0  # the instance check's connection is closed
        get_store(app).engine.dispose()
    finally:
        sys.modules.pop("complaints.wsgi", None)


def _start(root: Path, server: str, *args: str, initialized: bool = True) -> subprocess.CompletedProcess[str]:
    """Start ``server`` on an instance under ``root`` (prepared by ``complaints init``, or not) and
    wait for it to stop: every caller expects it to refuse."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINTS_")}
    env.update(FAST_ENV, COMPLAINTS_INSTANCE_PATH=str(root / "instance"))
    if initialized:
        subprocess.run([sys.executable, "-m", "complaints", "init"], env=env, check=True, capture_output=True)
    return subprocess.run([*serve_command(server, free_port()), *args], env=env, capture_output=True, text=True, timeout=60)


def test_a_server_on_an_instance_never_initialized_says_so_and_stops(tmp_path):
    # Otherwise every page is a 500, with a traceback in the log.
    for server in ("gunicorn", "complaints"):
        done = _start(tmp_path / server, server, initialized=False)
        assert done.returncode != 0
        assert "cannot serve" in done.stdout + done.stderr and "complaints init" in done.stdout + done.stderr


def test_gunicorn_warns_when_its_workers_would_count_filings_apart(tmp_path):
    with live_server(tmp_path / "memory", server="gunicorn") as (_base, log):
        pass
    assert "each of the 2 workers counts filings on its own" in log.read_text()
    redis = {"COMPLAINTS_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15"}
    with live_server(tmp_path / "redis", env_extra=redis, server="gunicorn") as (_base, log):
        pass
    assert "counts filings on its own" not in log.read_text() and "Booting worker" in log.read_text()



def test_gunicorn_refuses_a_logger_or_worker_that_would_log_who_sent_a_request(tmp_path):
    # gunicorn's own logger dates lines to the second and, at debug, names clients; its own
    # workers log "Invalid request from ip=…".
    for option, value, named in [("--logger-class", "gunicorn.glogging.Logger", "logger_class"),
                                 ("--worker-class", "gthread", "worker_class")]:
        done = _start(tmp_path / named, "gunicorn", option, value)
        assert done.returncode != 0, done.stderr
        assert f"cannot serve: {named} must stay complaints.web.gunicorn_parts." in done.stderr


def test_gunicorn_warns_that_restarting_workers_after_n_requests_dates_a_request(tmp_path):
    with live_server(tmp_path, server="gunicorn", server_args=("--max-requests", "1000")) as (_base, log):
        pass
    assert "max_requests: a worker logs its restart" in log.read_text()
