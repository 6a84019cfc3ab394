"""PDFs and pictures are cleaned in a child process that a hostile file cannot keep busy or make huge."""
from __future__ import annotations

import io
import time

import pytest
from PIL import Image
from pypdf import PdfReader

from complaints.imageclean import ImageUnreadable
from complaints.pdfclean import PdfUnreadable
from complaints.sandbox import Limits, child_environment, clean_image, clean_pdf
from complaints.uploads import sanitize
from tests.pdf_samples import AUTHOR, PAGE_TEXT, jpeg_with_exif, pdf_hiding_objects, pdf_inflating_to, revealing_pdf


def test_an_honest_pdf_comes_back_clean_from_the_child() -> None:
    out = clean_pdf(revealing_pdf())
    assert AUTHOR.encode() not in out and PAGE_TEXT in PdfReader(io.BytesIO(out)).pages[0].extract_text()


def test_refusals_in_the_child_keep_their_reason() -> None:
    with pytest.raises(PdfUnreadable) as caught:
        clean_pdf(revealing_pdf(user_password="secret"))
    assert caught.value.reason == "locked"


def test_a_file_that_keeps_pypdf_busy_is_stopped_at_the_deadline() -> None:
    # Unbounded, pypdf spends about 11 s on this 200 KB file searching for the hidden objects.
    started = time.monotonic()
    with pytest.raises(PdfUnreadable) as caught:
        clean_pdf(pdf_hiding_objects(8000), Limits(seconds=2))
    assert caught.value.reason == "complex" and time.monotonic() - started < 6


def test_a_file_that_inflates_is_stopped_by_the_memory_limit() -> None:
    bomb, limits = pdf_inflating_to(60_000_000), Limits(memory_bytes=128 * 1024 * 1024)
    assert len(bomb) < 100_000
    assert clean_pdf(revealing_pdf(), limits).startswith(b"%PDF-")  # the limit leaves room for honest work
    with pytest.raises(PdfUnreadable) as caught:
        clean_pdf(bomb, limits)
    assert caught.value.reason == "complex"


def test_the_child_gets_no_secret_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("COMPLAINTS_SECRET_KEY", "s3cret")
    monkeypatch.setenv("COMPLAINTS_DATABASE_URL", "postgresql://user:pw@db/x")
    monkeypatch.setenv("PYTHONPATH", "/opt/app")
    assert child_environment() == {"PYTHONPATH": "/opt/app"}
    assert clean_pdf(revealing_pdf()).startswith(b"%PDF-")  # and the child still starts with it


def _uploads_watched(monkeypatch) -> list:
    import subprocess

    from complaints import sandbox

    monkeypatch.setenv("COMPLAINTS_SECRET_KEY", "s3cret")
    started: list = []
    real_popen = subprocess.Popen

    def watched(command, **kwargs):
        started.append((command, kwargs.get("env")))
        return real_popen(command, **kwargs)

    monkeypatch.setattr(sandbox.subprocess, "Popen", watched)
    return started


@pytest.mark.parametrize("name, content, kind", [
    ("report.pdf", revealing_pdf, "application/pdf"),
    ("photo.jpg", lambda: jpeg_with_exif(), "image/jpeg"),
])
def test_an_upload_is_cleaned_in_the_child_with_the_bare_environment(monkeypatch, name, content, kind) -> None:
    # Not in the web worker (where a hostile file could stall or bloat it, beside the keys), and
    # the child is started with nothing but what finds the package.
    started = _uploads_watched(monkeypatch)
    cleaned = sanitize(name, io.BytesIO(content()), max_bytes=10 * 1024 * 1024).stream.read()
    assert AUTHOR.encode() not in cleaned and b"Exif" not in cleaned
    assert len(started) == 1 and started[0][0][1:4] == ["-m", "complaints.sandbox", kind]
    assert started[0][1] == child_environment() and "s3cret" not in repr(started[0][1])


def test_a_picture_of_too_many_pixels_is_refused_in_the_child() -> None:
    # 50 MP declared in a few hundred bytes: refused from the header, before any decoding.
    png = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(png, "PNG")
    with pytest.raises(ImageUnreadable) as caught:
        clean_image(png.getvalue(), "image/png")
    assert caught.value.reason == "pixels" and len(png.getvalue()) < 100_000


def test_a_picture_that_needs_more_memory_than_allowed_is_refused_as_complex() -> None:
    big = io.BytesIO()
    Image.new("RGB", (6000, 5000)).save(big, "PNG")  # 30 MP: 90 MB decoded
    with pytest.raises(ImageUnreadable) as caught:
        clean_image(big.getvalue(), "image/png", Limits(memory_bytes=96 * 1024 * 1024))
    assert caught.value.reason == "complex"


def test_a_picture_the_decoder_chokes_on_is_refused_as_damaged_not_as_too_big() -> None:
    # One byte changed in a GPS tag makes ImageOps.exif_transpose raise TypeError (found by
    # fuzzing): the child must answer "damaged", not die and be read as "too large or complex".
    exif = Image.Exif()
    exif[0x0112], exif[0x010F], exif[0x8825], exif[0x0131] = 6, "Make", {1: "N", 2: (13.0, 45.0, 1.0)}, "Soft"
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (9, 9, 9)).save(out, "JPEG", exif=exif)
    data = bytearray(out.getvalue())
    data[data.find(b"Exif") + 83] = 13  # the GPS IFD's first tag: 1 (latitude ref) becomes 13
    try:
        clean_image(bytes(data), "image/jpeg")
    except ImageUnreadable as refused:
        assert refused.reason == "damaged"


def test_what_the_child_writes_back_is_capped() -> None:
    # Its output goes to a file (in memory) limited by RLIMIT_FSIZE: past the cap the child is stopped and
    # the file refused, so a child running hostile code cannot fill the worker's memory.
    picture = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 10, 10)).save(picture, "PNG")
    assert clean_image(picture.getvalue(), "image/png").startswith(b"\x89PNG")
    with pytest.raises(ImageUnreadable) as caught:
        clean_image(picture.getvalue(), "image/png", Limits(output_bytes=100))
    assert caught.value.reason == "complex"


def test_the_cleaned_file_never_passes_through_the_temporary_directory(monkeypatch) -> None:
    # The child's answer is the evidence in clear: it must not leave its blocks on the disk,
    # which a deleted temporary file does (tmpfs is the operator's choice; README).
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", "/nonexistent/tmp")  # any temporary file fails
    picture = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 10, 10)).save(picture, "PNG")
    assert clean_image(picture.getvalue(), "image/png").startswith(b"\x89PNG")


def test_an_answer_that_is_not_the_declared_type_is_refused(monkeypatch) -> None:
    from complaints import uploads

    png = io.BytesIO()
    Image.new("RGB", (8, 8)).save(png, "PNG")
    monkeypatch.setattr(uploads, "clean_image", lambda data, kind, limits: b"<html><script>alert(1)</script>")
    with pytest.raises(uploads.UploadRejected) as caught:
        sanitize("photo.png", io.BytesIO(png.getvalue()), max_bytes=10 * 1024 * 1024)
    assert "damaged" in str(caught.value)
    monkeypatch.setattr(uploads, "clean_pdf", lambda data, limits: b"\x89PNG\r\n\x1a\n")
    with pytest.raises(uploads.UploadRejected):
        sanitize("report.pdf", io.BytesIO(revealing_pdf()), max_bytes=10 * 1024 * 1024)
