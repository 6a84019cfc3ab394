"""Clean an uploaded PDF or picture in a separate process with limits on time and memory.

pypdf and Pillow's decoders parse hostile input. A crafted PDF of a few hundred kilobytes can keep
pypdf busy for minutes (objects the cross-reference table leaves out, which it then hunts for
through the whole file) or make it take gigabytes (an object stream that inflates); a small PNG
can declare 40 million pixels. Such a file must not stall a web worker or exhaust the server, and
the code that parses it should not run in a process that holds the encryption keys. So each file
is cleaned by a fresh interpreter (``python -m complaints.sandbox``) started with an empty
environment, which limits its own address space and CPU time and gives up, with Landlock, every
right but reading its own code (complaints.confine) before it reads a byte, and is killed when
the deadline passes; either way the upload is refused as too complex. Starting it
costs about 0.2 s for a PDF (pypdf is imported) and 0.11 s for a picture.
"""
from __future__ import annotations

import importlib
import os
import resource
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from complaints.confine import confine, readable_roots
from complaints.imageclean import ImageUnreadable

if TYPE_CHECKING:
    from complaints.pdfclean import PdfUnreadable

# pdfclean is imported where a PDF is handled, not here: it brings pypdf (0.25 s to import),
# which a picture's child does not need.

_CLEANED, _REFUSED = b"K", b"R"
PDF = "application/pdf"


@dataclass(frozen=True)
class Limits:
    """What one cleaning may use. The defaults are many times what an honest 10 MB file needs
    (a 40-page scan: 0.3 s; a 20,000-object report: 0.9 s and under 100 MB; a 12 MP photo: 0.3 s
    and about 150 MB)."""

    seconds: float = 20.0
    memory_bytes: int = 768 * 1024 * 1024  # a 40 MP picture is decoded, turned and encoded
    # What the child may write back: its output goes to a file capped by RLIMIT_FSIZE, so a
    # child that ran hostile code cannot make the worker hold gigabytes.
    output_bytes: int = 64 * 1024 * 1024


def child_environment() -> dict[str, str]:
    """The child's whole environment: only what finds the package, so no key, secret or database
    address (``COMPLAINTS_*``) reaches the code that parses hostile input."""
    return {"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}


def _memory_file() -> BinaryIO:
    # The child's answer is the cleaned file, in clear: a file in memory (memfd, which
    # RLIMIT_FSIZE caps as it does a file on disk), so a whistleblower's evidence does not leave
    # its blocks on the server's disk. A temporary file where there is no memfd (not Linux).
    if hasattr(os, "memfd_create"):
        return os.fdopen(os.memfd_create("cleaned", os.MFD_CLOEXEC), "w+b")
    return tempfile.TemporaryFile()


def _run(content_type: str, data: bytes, limits: Limits) -> bytes:
    # The child's answer (status byte, then the file or the refusal's reason); a child stopped
    # by a limit, or dead before it could answer, is refused as "complex".
    command = [sys.executable, "-m", "complaints.sandbox", content_type, str(limits.seconds),
               str(limits.memory_bytes), str(limits.output_bytes)]
    with _memory_file() as out:
        # Its own process group, so that on a timeout whatever it started goes with it.
        child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=out, stderr=subprocess.DEVNULL,
                                 env=child_environment(), start_new_session=True)
        try:
            child.communicate(data, timeout=limits.seconds)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)  # not reaped yet, so the group is still its own
            child.wait()
            return _REFUSED + b"complex"
        out.seek(0)
        answer = out.read(limits.output_bytes + 1)
    if child.returncode == 0 and answer[:1] in (_CLEANED, _REFUSED) and len(answer) <= limits.output_bytes:
        return answer
    return _REFUSED + b"complex"  # killed by a limit, or out of memory before it could answer


def clean_pdf(data: bytes, limits: Limits = Limits()) -> bytes:
    """``pdfclean.strip_pdf(data)``, run in a limited child process.

    Raises PdfUnreadable as strip_pdf does, and with reason "complex" when the child runs out of
    time or memory.
    """
    from complaints.pdfclean import PdfUnreadable

    return _cleaned_or_raise(_run(PDF, data, limits), PdfUnreadable)


def clean_image(data: bytes, content_type: str, limits: Limits = Limits()) -> bytes:
    """``imageclean.strip_image(data, content_type)``, run in a limited child process.

    Raises ImageUnreadable as strip_image does, and with reason "complex" when the child runs out
    of time or memory.
    """
    return _cleaned_or_raise(_run(content_type, data, limits), ImageUnreadable)


def _cleaned_or_raise(answer: bytes, unreadable: type[PdfUnreadable] | type[ImageUnreadable]) -> bytes:
    if answer[:1] == _REFUSED:
        raise unreadable(answer[1:].decode())
    return answer[1:]


def _answer(content_type: str, data: bytes) -> bytes:
    # In the child: the status byte and the cleaned file, or the refusal's reason.
    if content_type == PDF:
        from complaints.pdfclean import PdfUnreadable, strip_pdf

        try:
            return _CLEANED + strip_pdf(data)
        except PdfUnreadable as exc:
            return _REFUSED + exc.reason.encode()
    from complaints.imageclean import strip_image

    try:
        return _CLEANED + strip_image(data, content_type)
    except ImageUnreadable as exc:
        return _REFUSED + exc.reason.encode()
    except MemoryError:  # the address-space limit, reached while decoding
        return _REFUSED + b"complex"
    except Exception:  # noqa: BLE001 - e.g. a TypeError from malformed EXIF in exif_transpose: the file is bad
        return _REFUSED + b"damaged"


def _load_parsers(content_type: str) -> None:
    # Everything the cleaning will import, imported before confine(): after it, a module or a
    # shared library outside the readable folders could not load (cryptography's, which pypdf
    # needs for an encrypted PDF, links the system's libgcc_s), and pypdf would quietly fall
    # back to refusing AES-encrypted files.
    from PIL import Image

    Image.preinit()  # the JPEG and PNG plugins, among the common few
    if content_type == PDF:
        importlib.import_module("complaints.pdfclean")  # pypdf and its crypto provider
        importlib.import_module("PIL.Jpeg2KImagePlugin")  # pictures inside a PDF may be JPEG 2000


def _main(content_type: str, seconds: float, memory_bytes: int, output_bytes: int) -> None:
    """The child: limit itself, load its parsers, give up every right but reading its own code
    (``confine``), read the file from stdin, write status and result to stdout."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    cpu = max(1, int(seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (output_bytes, output_bytes))
    _load_parsers(content_type)
    confine(readable_roots())
    sys.stdout.buffer.write(_answer(content_type, sys.stdin.buffer.read()))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _main(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
