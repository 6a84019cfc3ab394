"""Rebuild an uploaded PDF in a separate process with limits on time and memory.

pypdf parses hostile input. A crafted file of a few hundred kilobytes can keep it busy for minutes
(objects the cross-reference table leaves out, which pypdf then hunts for through the whole file)
or make it take gigabytes (an object stream that inflates). Such a file must not stall a web
worker or exhaust the server, and the code that parses it should not run in a process that holds
the encryption keys. So each PDF is rebuilt by a fresh interpreter (``python -m
complaints.pdfsandbox``) started with an empty environment, which limits its own address space
and CPU time before it reads a byte, and is killed when the deadline passes; either way the
upload is refused as too complex. Starting it costs about a quarter of a second per PDF.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass

from complaints.pdfclean import PdfUnreadable, strip_pdf

_CLEANED, _REFUSED = b"K", b"R"


@dataclass(frozen=True)
class Limits:
    """What one rebuild may use. The defaults are many times what an honest 10 MB file needs
    (a 40-page scan: 0.3 s; a 20,000-object report: 0.9 s and under 100 MB)."""

    seconds: float = 20.0
    memory_bytes: int = 512 * 1024 * 1024


def child_environment() -> dict[str, str]:
    """The child's whole environment: only what finds the package, so no key, secret or database
    address (``COMPLAINTS_*``) reaches the code that parses hostile input."""
    return {"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}


def clean_pdf(data: bytes, limits: Limits = Limits()) -> bytes:
    """``pdfclean.strip_pdf(data)``, run in a limited child process.

    Raises PdfUnreadable as strip_pdf does, and with reason "complex" when the child runs out of
    time or memory.
    """
    command = [sys.executable, "-m", "complaints.pdfsandbox", str(limits.seconds), str(limits.memory_bytes)]
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=limits.seconds, env=child_environment(),
                              check=False)
    except subprocess.TimeoutExpired as exc:  # run() has killed the child
        raise PdfUnreadable("complex") from exc
    status, body = done.stdout[:1], done.stdout[1:]
    if done.returncode == 0 and status == _CLEANED:
        return body
    if done.returncode == 0 and status == _REFUSED:
        raise PdfUnreadable(body.decode())
    raise PdfUnreadable("complex")  # killed by a limit, or out of memory before it could answer


def _main(seconds: float, memory_bytes: int) -> None:
    """The child: limit itself, read the PDF from stdin, write status and result to stdout."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    cpu = max(1, int(seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    data = sys.stdin.buffer.read()
    try:
        answer = _CLEANED + strip_pdf(data)
    except PdfUnreadable as exc:
        answer = _REFUSED + exc.reason.encode()
    sys.stdout.buffer.write(answer)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _main(float(sys.argv[1]), int(sys.argv[2]))
