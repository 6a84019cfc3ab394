"""``complaints init`` plus ``complaints serve`` as a real process on a free loopback port."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

FAST_ENV = {"COMPLAINTS_ARGON2_MEMORY_KIB": "8", "COMPLAINTS_ARGON2_ITERATIONS": "1",
            "COMPLAINTS_ARGON2_LANES": "1"}


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(root: Path, *before: list[str], env_extra: dict[str, str] | None = None) -> Iterator[tuple[str, Path]]:
    """Initialize an instance under ``root``, run any ``before`` commands, serve it with
    ``env_extra`` in its environment, yield (base URL, log path), then stop it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINTS_")}
    env.update(FAST_ENV, COMPLAINTS_INSTANCE_PATH=str(root / "instance"), PYTHONUNBUFFERED="1", **(env_extra or {}))
    for args in (["init"], *before):
        subprocess.run([sys.executable, "-m", "complaints", *args], env=env, check=True, capture_output=True)
    port, log_path = free_port(), root / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "complaints", "serve", "--port", str(port)],
                                env=env, stdout=log, stderr=subprocess.STDOUT)
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
