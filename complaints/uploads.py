"""Attachment checks: the one place an uploaded file is vetted before it reaches intake.

Complainants and whistleblowers attach photos and scans taken on their phones. Such files carry
GPS coordinates, device serials and author names that can identify the very person the system
protects, so images are decoded and re-encoded without metadata (``imageclean``; colour profiles
too, which name the scanner or copier), and PDFs are rebuilt without theirs (``pdfclean``). Both
run in a limited child process (``sandbox``), never in the web worker.
Types are decided by the file's first bytes alone: the extension and the browser's claimed type
are under the sender's control and prove nothing.
"""
from __future__ import annotations

import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Sequence
from typing import IO, BinaryIO, cast

from complaints.capturetime import without_capture_time
from complaints.confine import fully_confinable
from complaints.imageclean import ImageUnreadable
from complaints.pdfclean import PdfUnreadable
from complaints.sandbox import PDF, Limits, clean_image, clean_pdf
from complaints.workflow.intake import IncomingFile

ALLOWED = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
CHUNK = 64 * 1024
SPOOL_MAX = 1024 * 1024  # larger uploads go to disk rather than holding worker memory
# Cleaning the files of one form may take this long in all: five files each stopped just short of
# their own limit would hold a web worker for 100 s. Honest files take about a second each.
FORM_CLEAN_SECONDS = 30.0
MIN_CLEAN_SECONDS = 1.0  # less than this left: the file is refused as not checked rather than started
MAX_NAME = 120
_UNSAFE_NAME_CHARS = re.compile(r'[<>:"|?*]')
_PDF_REFUSALS = {
    "damaged": ("เสียหายหรือเปิดไม่ได้", "is damaged or cannot be read"),
    "locked": ("ถูกล็อกด้วยรหัสผ่าน กรุณาบันทึกสำเนาที่ไม่มีรหัสผ่าน",
               "is locked with a password; please save a copy without one"),
    "complex": ("มีโครงสร้างซับซ้อนเกินไป กรุณาแบ่งเป็นหลายไฟล์หรือส่งเป็นภาพ",
                "is too complex; please split it or send pictures of the pages"),
}
_IMAGE_REFUSALS = {
    "damaged": ("เสียหายหรือเปิดไม่ได้", "is damaged or cannot be read"),
    "pixels": ("มีความละเอียดของภาพ (จำนวนพิกเซล) สูงเกินไป กรุณาย่อขนาดภาพแล้วแนบใหม่",
               "has too many pixels; please make the picture smaller and attach it again"),
    "complex": ("ใหญ่หรือซับซ้อนเกินกว่าจะประมวลผลได้", "is too large or complex to process"),
}
_EMPTY = ("ว่างเปล่า", "is empty")
_NOT_ACCEPTED = ("ไม่ใช่ชนิดที่รับได้ (รับเฉพาะ PDF, JPEG, PNG)", "is not an accepted type (only PDF, JPEG, PNG are accepted)")
# The form's files together ran out of FORM_CLEAN_SECONDS: the file itself may be fine.
_OUT_OF_TIME = ("ไม่ได้ตรวจ เพราะไฟล์ที่แนบมาด้วยกันใช้เวลาตรวจนานเกินไป กรุณาส่งไฟล์น้อยลงในครั้งเดียว",
                "was not checked: the files sent with it took too long; please send fewer files at a time")

# UPLOAD_CONFINEMENT = "required" on a machine that cannot confine the parsers: the server, not the
# file, is the reason, and a reporter can still send the words and offer the evidence later.
_UNCONFINED = ("ไม่ได้รับ เพราะขณะนี้ระบบตรวจไฟล์แนบอย่างปลอดภัยไม่ได้ กรุณาส่งเรื่องโดยไม่แนบไฟล์"
               " และระบุในรายละเอียดว่ามีหลักฐานใด",
               "was not accepted: the system cannot check attachments safely at present; please send the"
               " report without files and say in the details what evidence you have")


class UploadRejected(ValueError):
    """An attachment that cannot be accepted; the message is Thai / English for the form."""

    field = "attachments"

    def __init__(self, message: str, filename: str | None = None) -> None:
        super().__init__(message)
        self.filename = filename


def _reject(name: str, thai: str, english: str) -> UploadRejected:
    shown = _clean_base(name) or "-"
    return UploadRejected(f"ไฟล์ '{shown}' {thai} / file '{shown}' {english}", shown)


def _too_large(name: str, max_bytes: int) -> UploadRejected:
    limit = _human(max_bytes)
    return _reject(name, f"ใหญ่เกินกำหนด ({limit})", f"is larger than {limit}")


def _too_many(max_files: int) -> UploadRejected:
    return UploadRejected(f"แนบไฟล์ได้ไม่เกิน {max_files} ไฟล์ / at most {max_files} files")


def sniff(head: bytes) -> str | None:
    """Return the content type that ``head`` (the file's first bytes) starts with, or None."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def _clean_base(filename: str) -> str:
    # Browsers on Windows may send "C:\\Users\\...\\x.jpg"; never keep a directory part.
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", filename))[-1]
    # Old Edge and IE send the path unescaped in a quoted string, and the multipart parser reads
    # each "\\" as an escape: "C:\\Users\\somchai\\scan.jpg" arrives as "C:Userssomchaiscan.jpg",
    # the user's name fused to the file's. The name cannot be told apart, so none is kept.
    if re.match(r"[A-Za-z]:", base):
        return ""
    # Cc/Cf cover control bytes and invisible format characters such as right-to-left
    # override, which can disguise "gpj.exe" as "exe.jpg"; Thai letters and marks are L*/M*.
    base = "".join(c for c in base if unicodedata.category(c) not in ("Cc", "Cf"))
    base = _UNSAFE_NAME_CHARS.sub("_", base)
    return " ".join(base.split()).strip(" .")


def clean_filename(filename: str, content_type: str) -> str:
    """Return ``filename`` without directories or control characters, ending in the type's extension."""
    extension = ALLOWED[content_type]
    # Not the moment a camera or app named the file after (capturetime), as its EXIF data goes.
    stem = without_capture_time(os.path.splitext(_clean_base(filename))[0].strip(" .")) or "attachment"
    return stem[: MAX_NAME - len(extension)].rstrip(" .") + extension


def _human(size: int) -> str:
    # Binary units under the names the form's hint uses ("10 MB"), so the refusal quotes the same figure.
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


def _new_spool() -> BinaryIO:
    # Not a with-block: the spool is handed on to the caller, who closes it.
    return cast(BinaryIO, tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX))  # noqa: SIM115


def _spool(stream: IO[bytes], max_bytes: int, filename: str) -> tuple[BinaryIO, int]:
    spool = _new_spool()
    total = 0
    try:
        while True:
            # Ask for at most one byte past the limit, so an oversize upload is noticed
            # without ever reading (or buffering) the rest of it.
            chunk = stream.read(min(CHUNK, max_bytes + 1 - total))
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                raise _too_large(filename, max_bytes)
            spool.write(chunk)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool, total


def _seconds_left(deadline: float) -> Limits:
    # Each file may take its own limit, but no more than what is left of the form's time.
    seconds = min(Limits.seconds, deadline - time.monotonic())
    if seconds < MIN_CLEAN_SECONDS:
        raise TimeoutError
    return Limits(seconds=seconds)


def _cleaned(spool: BinaryIO, filename: str, content_type: str, deadline: float, confined_only: bool) -> BinaryIO:
    # The spool holds at most max_bytes: it was capped as it was read.
    if confined_only and not fully_confinable():
        raise _reject(filename, *_UNCONFINED)
    is_pdf = content_type == PDF
    refusals = _PDF_REFUSALS if is_pdf else _IMAGE_REFUSALS
    try:
        limits = _seconds_left(deadline)
        data = spool.read()
        cleaned = clean_pdf(data, limits) if is_pdf else clean_image(data, content_type, limits)
    except (PdfUnreadable, ImageUnreadable) as exc:
        raise _reject(filename, *refusals.get(exc.reason, refusals["complex"])) from exc
    except TimeoutError as exc:
        raise _reject(filename, *_OUT_OF_TIME) from exc
    if sniff(cleaned[:16]) != content_type:  # only a cleaner that ran hostile code answers so
        raise _reject(filename, *refusals["damaged"])
    out = _new_spool()
    out.write(cleaned)
    out.seek(0)
    return out


def _finish(filename: str, spool: BinaryIO, size: int, deadline: float, confined_only: bool) -> IncomingFile:
    try:
        if size == 0:
            raise _reject(filename, *_EMPTY)
        content_type = sniff(spool.read(16))
        spool.seek(0)
        if content_type is None:
            raise _reject(filename, *_NOT_ACCEPTED)
        stream = _cleaned(spool, filename, content_type, deadline, confined_only)
        spool.close()
    except BaseException:
        spool.close()
        raise
    return IncomingFile(clean_filename(filename, content_type), content_type, stream)


def sanitize(filename: str, stream: IO[bytes], *, max_bytes: int, confined_only: bool = False) -> IncomingFile:
    """Check one upload and return it ready for intake, or raise UploadRejected.

    Reads at most ``max_bytes + 1`` bytes; images come back re-encoded without metadata,
    the name comes back cleaned with the extension of the detected type, stream at 0. With
    ``confined_only``, a file is refused rather than parsed by a child this machine cannot
    confine (``confine.fully_confinable``).
    """
    spool, size = _spool(stream, max_bytes, filename)
    return _finish(filename, spool, size, time.monotonic() + FORM_CLEAN_SECONDS, confined_only)


def _left_blank(filename: str, size: int) -> bool:
    # The nameless empty part a browser sends for a file input left blank: not a file.
    return size == 0 and not filename.strip()


def quick_refusal(files: Sequence[tuple[str, IO[bytes]]], *, max_bytes: int, max_files: int) -> UploadRejected | None:
    """What ``sanitize_all`` would refuse first without cleaning anything (too many files, one
    empty, too large or of a type not accepted), or None; the streams are left at 0.

    For a form refused for its other fields: its files were not kept, and saying now that one of
    them will be refused spares attaching it again only to be told on the next try.
    """
    real = 0
    for filename, stream in files:  # Werkzeug's upload streams are seekable (memory or a temporary file)
        head = stream.read(16)
        size = stream.seek(0, os.SEEK_END)
        stream.seek(0)
        if _left_blank(filename, size):
            continue
        real += 1
        if real > max_files:
            return _too_many(max_files)
        if size == 0:
            return _reject(filename, *_EMPTY)
        if size > max_bytes:
            return _too_large(filename, max_bytes)
        if sniff(head) is None:
            return _reject(filename, *_NOT_ACCEPTED)
    return None


def sanitize_all(
    # Sequence/IO[bytes] rather than list/BinaryIO so werkzeug's FileStorage.stream type-checks.
    files: Sequence[tuple[str, IO[bytes]]], *, max_bytes: int, max_files: int, confined_only: bool = False
) -> list[IncomingFile]:
    """Sanitize every upload of one form; reject more than ``max_files`` real files, and with
    ``confined_only`` every file on a machine that cannot confine the parsers.

    Nameless empty parts are skipped: browsers send one when a file input is left blank. The
    form's files share ``FORM_CLEAN_SECONDS`` between them.
    """
    deadline = time.monotonic() + FORM_CLEAN_SECONDS
    accepted: list[IncomingFile] = []
    try:
        for filename, stream in files:
            spool, size = _spool(stream, max_bytes, filename)
            if _left_blank(filename, size):
                spool.close()
                continue
            if len(accepted) >= max_files:
                spool.close()
                raise _too_many(max_files)
            accepted.append(_finish(filename, spool, size, deadline, confined_only))
    except BaseException:
        for done in accepted:
            done.stream.close()
        raise
    return accepted
