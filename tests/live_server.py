"""``complaints init`` plus ``complaints serve`` (or gunicorn, as production runs it) as a real
process on a free loopback port, and what a browser or a stranger sends it."""
from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.web_helpers import CORRUPTION, REFERRER, USER_AGENT

FAST_ENV = {"COMPLAINTS_ARGON2_MEMORY_KIB": "8", "COMPLAINTS_ARGON2_ITERATIONS": "1",
            "COMPLAINTS_ARGON2_LANES": "1"}


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ``complaints serve`` in a process where one function fails when called: a fault the test puts
# in from outside, so the application carries no switch for it.
_BROKEN_SERVE = """
import importlib, sys
module, _, name = sys.argv.pop(1).rpartition(".")
def broken(*args, **kwargs):
    raise RuntimeError("a fault put in by the test: " + name)
setattr(importlib.import_module(module), name, broken)
from complaints.cli import main
main()
"""


def serve_command(server: str, port: int, breaks: str | None = None) -> list[str]:
    """How ``server`` ("complaints" or "gunicorn") is started on ``port``; with ``breaks`` (a
    module's attribute, "complaints.web.filing.put_receipt"), ``complaints serve`` runs with that
    function raising whenever it is called."""
    if breaks is not None:
        assert server == "complaints", "a fault is put in the development server only"
        return [sys.executable, "-c", _BROKEN_SERVE, breaks, "serve", "--port", str(port)]
    if server == "gunicorn":
        # A worker still booting when the test stops the server has no TERM handler yet, and
        # the master would wait its 30 s grace period for it.
        return [sys.executable, "-m", "gunicorn", "-c", "python:complaints.web.gunicorn_conf",
                "-b", f"127.0.0.1:{port}", "--graceful-timeout", "3"]
    return [sys.executable, "-m", "complaints", "serve", "--port", str(port)]


@contextmanager
def live_server(root: Path, *before: list[str], env_extra: dict[str, str] | None = None,
                server: str = "complaints", server_args: tuple[str, ...] = (),
                breaks: str | None = None) -> Iterator[tuple[str, Path]]:
    """Initialize an instance under ``root``, run any ``before`` commands, serve it with
    ``env_extra`` in its environment (and ``server_args`` on its command line, ``breaks`` as
    ``serve_command`` says), yield (base URL, log path), then stop it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINTS_")}
    env.update(FAST_ENV, COMPLAINTS_INSTANCE_PATH=str(root / "instance"), PYTHONUNBUFFERED="1", **(env_extra or {}))
    for args in (["init"], *before):
        subprocess.run([sys.executable, "-m", "complaints", *args], env=env, check=True, capture_output=True)
    port, log_path = free_port(), root / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen([*serve_command(server, port, breaks), *server_args], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, "server exited:\n" + log_path.read_text(errors="replace")
            try:
                with urllib.request.urlopen(base + "/", timeout=2) as resp:
                    assert resp.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "server did not answer within 30 s"
                time.sleep(0.2)
        yield base, log_path
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def file_through_server(base: str, extra_headers: list[tuple[str, str]] | None = None) -> None:
    """File a corruption report as a browser that came from a social network would, with the
    canary agent and referrer (and ``extra_headers``), then send two requests the server cannot parse."""
    # A reporter who came from a social network: its click identifier rides in the address.
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    opener.addheaders = [("User-Agent", USER_AGENT), ("Referer", REFERRER), *(extra_headers or [])]
    form = opener.open(f"{base}/corruption/new?fbclid=CANARYCLICK", timeout=5).read().decode()
    action = re.search(r'<form method="post"[^>]* action="([^"]+)"', form).group(1)
    assert action == "/corruption/new"  # the browser would post to the address with its query
    fields = dict(re.findall(r'<input id="(csrf_token|form_nonce)" name="[^"]+" type="hidden" value="([^"]+)"', form))
    category = re.search(r'<option value="(\d+)"', form).group(1)
    body = urllib.parse.urlencode({**CORRUPTION, **fields, "category": category}).encode()
    receipt = opener.open(f"{base}/corruption/new?fbclid=CANARYCLICK", data=body, timeout=10)
    assert receipt.geturl().endswith("/receipt") and "tracking-code" in receipt.read().decode()
    # A request the server cannot parse: Python's socket server used to print the client's address.
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(b"GET http://[x/ HTTP/1.1\r\nHost: x\r\n\r\n")
        raw.recv(1024)
    # A request line Python's HTTP parser refuses: its refusal quoted the whole line, query string
    # and all, even with the access log off.
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(b"GET /corruption/new?code=CANARYCODE STORY HTTP/1.1\r\nHost: x\r\n\r\n")
        raw.recv(1024)
    time.sleep(0.3)  # its line is written after the connection closes


def raw_exchange(base: str, request: bytes) -> bytes:
    """Send ``request`` as raw bytes and read the reply until the server closes."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(request)
        chunks = []
        while chunk := raw.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)
