"""The arrival page (complaints/web/arrivals.py) in Firefox, the second engine it must work in.

The page reloads itself with a meta refresh, counting on the browser to treat that reload as a
same-site navigation that carries the ``SameSite=Strict`` cookie. A browser that counted it as
cross-site (the navigation that led to it was) would withhold the cookie again and reload forever.
Chromium is checked in test_browser.py with Playwright; Playwright cannot drive Debian's Firefox,
so Firefox is started headless on a page of another site and the server records what it is sent.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from complaints.seed import ensure_demo_org
from complaints.web.context import get_store
from tests.conftest import make_test_app

FIREFOX = "/usr/bin/firefox-esr"


@pytest.fixture
def firefox() -> str:
    """Debian's Firefox ESR; CI installs it (.ci/run), so there it must be present."""
    if not os.path.exists(FIREFOX):
        if os.environ.get("CI"):
            pytest.fail(f"{FIREFOX} not found: .ci/run installs Debian's firefox-esr", pytrace=False)
        pytest.skip(f"{FIREFOX} not found: install Debian's firefox-esr")
    return FIREFOX


@contextmanager
def _serving(host: str, wsgi: Any) -> Iterator[int]:
    """Serve ``wsgi`` on ``host`` in a thread; yield its port."""
    server = make_server(host, 0, wsgi, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_port
    finally:
        server.shutdown()


def test_firefox_reloads_an_arrival_from_another_site_once_and_with_the_session(
        firefox, tmp_path: Path, sqlite_template: Path) -> None:
    db = tmp_path / "complaints.db"
    shutil.copy(sqlite_template, db)
    app = make_test_app(tmp_path / "instance", f"sqlite:///{db}")
    with get_store(app).sessions() as session, session.begin():
        ensure_demo_org(session)
    seen: list[dict[str, Any]] = []
    other_site: list[str] = []
    started: list[str] = []  # the session cookie /start set, as "session=..."

    def site(environ: dict[str, Any], start_response: Any) -> Any:
        if environ["PATH_INFO"] == "/start":  # the visitor's own session first (a form being typed)
            cookie = app.test_client().get("/general/new").headers["Set-Cookie"]
            started.append(cookie.split(";")[0])
            start_response("200 OK", [("Content-Type", "text/html"), ("Set-Cookie", cookie)])
            return [f'<script>setTimeout(() => location = "{other_site[0]}", 300)</script>'.encode()]
        request = {"path": environ["PATH_INFO"], "site": environ.get("HTTP_SEC_FETCH_SITE"),
                   "mode": environ.get("HTTP_SEC_FETCH_MODE"), "cookie": environ.get("HTTP_COOKIE", "")}

        def recording_start(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            request["sets_cookie"] = any(name.lower() == "set-cookie" for name, _ in headers)
            return start_response(status, headers, *args)

        seen.append(request)
        return app.wsgi_app(environ, recording_start)

    def elsewhere(environ: dict[str, Any], start_response: Any) -> Any:
        # Another site (127.0.0.2 is a different site from 127.0.0.1) with a link that is followed.
        start_response("200 OK", [("Content-Type", "text/html")])
        return [f'<a id="go" href="{target}">go</a><script>document.getElementById("go").click()</script>'.encode()]

    with _serving("127.0.0.1", site) as port, _serving("127.0.0.2", elsewhere) as other_port:
        target = f"http://127.0.0.1:{port}/general/new"
        other_site.append(f"http://127.0.0.2:{other_port}/")
        profile = tempfile.mkdtemp(dir=tmp_path)
        browser = subprocess.Popen([firefox, "--headless", "--no-remote", "--profile", profile,
                                    f"http://127.0.0.1:{port}/start"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not any(r["site"] == "same-origin" and r["mode"] == "navigate"
                                                          for r in seen):
                time.sleep(0.2)
            time.sleep(2)  # long enough for a loop to show itself
        finally:
            browser.terminate()
            browser.wait(timeout=30)
    pages = [r for r in seen if r["path"] == "/general/new" and r["mode"] == "navigate"]
    assert [(r["site"], bool(r["cookie"])) for r in pages] == [("cross-site", False), ("same-origin", True)], seen
    arrival, reload = pages
    assert not arrival["sets_cookie"]  # the visitor's session is left alone
    assert started and started[0] in reload["cookie"].split("; ")  # the reload carries that same session
