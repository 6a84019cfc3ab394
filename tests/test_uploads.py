"""Attachment vetting: real files built in memory with Pillow, no database or web app."""
from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Callable
from typing import BinaryIO, cast

import pytest
from PIL import Image, ImageFile
from PIL.PngImagePlugin import PngImageFile, PngInfo
from pypdf import PdfReader

from complaints.uploads import ALLOWED, UploadRejected, sanitize, sanitize_all, sniff
from complaints.workflow.intake import IncomingFile
from tests.pdf_samples import blank_pdf

LIMIT = 300_000  # several 64 KiB pieces, so the read bound is exercised across chunks
PDF = blank_pdf()
MAKE, GPS_DATE, COMMENT = "LeakyPhoneCo", "2025:04:10", b"whistle-comment"


def picture(size: tuple[int, int]) -> Image.Image:
    img = Image.new("RGB", size, (200, 30, 30))
    img.paste((20, 20, 220), (0, 0, size[0] // 2, size[1] // 3))  # asymmetric, so rotation shows
    return img


def jpeg_with_exif(size: tuple[int, int] = (64, 48), orientation: int | None = None) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = MAKE
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (13.0, 45.0, 0.0), 3: "E", 4: (100.0, 30.0, 0.0), 29: GPS_DATE})
    out = io.BytesIO()
    picture(size).save(out, "JPEG", exif=exif, comment=COMMENT)
    return out.getvalue()


def png_bytes(text: dict[str, str] | None = None, size: tuple[int, int] = (32, 32)) -> bytes:
    info = PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    out = io.BytesIO()
    picture(size).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A small valid PNG whose header claims a huge size: the shape of a decompression bomb."""
    out = io.BytesIO()
    Image.new("1", (8, 8)).save(out, "PNG")
    data = bytearray(out.getvalue())
    data[16:24] = struct.pack(">II", width, height)  # IHDR width and height
    data[29:33] = struct.pack(">I", zlib.crc32(data[12:29]))  # CRC over "IHDR" + its data
    return bytes(data)


def run(name: str, data: bytes, max_bytes: int = LIMIT) -> IncomingFile:
    return sanitize(name, io.BytesIO(data), max_bytes=max_bytes)


def rejected(name: str, data: bytes, max_bytes: int = LIMIT) -> str:
    with pytest.raises(UploadRejected) as caught:
        run(name, data, max_bytes)
    message = str(caught.value)
    assert caught.value.field == "attachments"
    assert re.match(r"ไฟล์ .+ / file .+", message), message  # Thai first, then English
    return message


class Counting:
    """A stream that records how many bytes were read from it."""

    def __init__(self, data: bytes) -> None:
        self.inner, self.taken = io.BytesIO(data), 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.inner.read(size)
        self.taken += len(chunk)
        return chunk


def test_sniff_uses_signatures_only() -> None:
    assert sniff(b"%PDF-1.4") == "application/pdf"
    assert sniff(b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert sniff(b"\x89PNG\r\n\x1a\n") == "image/png"
    assert sniff(b"GIF89a") is None and sniff(b"") is None


@pytest.mark.parametrize("head", [
    b"%PNotPDF-1.4",  # "%P" as a PDF begins, then not "DF-"
    b"%PDF1.4",  # no dash
    b"\xff\xd8\x00\xe0",  # the JPEG start of image without the marker byte after it
    b"\x89PNx\r\n\x1a\n",
    b"\x89PNG\r\n\x1a\x00",  # the PNG signature's last byte changed
    b"\xff\xd8",  # shorter than any signature
])
def test_sniff_wants_the_whole_signature_not_its_first_bytes(head: bytes) -> None:
    # The cleaners are chosen by this answer: a file that only begins like one type must be refused.
    assert sniff(head) is None


def test_jpeg_loses_exif_gps_and_comment_but_keeps_picture() -> None:
    original = jpeg_with_exif()
    assert MAKE.encode() in original and GPS_DATE.encode() in original and COMMENT in original
    result = run("photo.jpg", original)
    data = result.stream.read()
    assert result.content_type == "image/jpeg" and result.filename == "photo.jpg"
    assert b"Exif" not in data
    for marker in (MAKE.encode(), GPS_DATE.encode(), COMMENT):
        assert marker not in data
    with Image.open(io.BytesIO(data)) as img:
        assert not img.getexif() and img.size == (64, 48)
        img.load()


def test_png_loses_text_chunk() -> None:
    original = png_bytes({"Author": "Somchai Whistleblower"})
    assert b"tEXt" in original
    data = run("scan.png", original).stream.read()
    assert b"tEXt" not in data and b"Somchai" not in data
    with Image.open(io.BytesIO(data)) as img:
        assert isinstance(img, PngImageFile) and img.text == {} and img.size == (32, 32)


def test_png_loses_its_exif_chunk_with_gps() -> None:
    # PNG carries EXIF too (eXIf): phones and editors write camera and GPS there.
    exif = Image.Exif()
    exif[0x010F] = MAKE
    exif.get_ifd(0x8825)[0x001D] = GPS_DATE
    out = io.BytesIO()
    picture((32, 32)).save(out, "PNG", exif=exif)
    assert b"eXIf" in out.getvalue() and MAKE.encode() in out.getvalue()
    data = run("photo.png", out.getvalue()).stream.read()
    assert b"eXIf" not in data and MAKE.encode() not in data and GPS_DATE.encode() not in data
    with Image.open(io.BytesIO(data)) as img:
        assert not img.getexif()


def test_exif_orientation_is_applied() -> None:
    result = run("rotated.jpg", jpeg_with_exif((60, 40), orientation=6))
    with Image.open(result.stream) as img:
        assert img.size == (40, 60)


def test_png_named_pdf_is_detected_and_renamed() -> None:
    result = run("photo.pdf", png_bytes())
    assert (result.content_type, result.filename) == ("image/png", "photo.png")


def test_pdf_comes_back_rebuilt_with_stream_at_start() -> None:
    result = run("คำร้อง.pdf", PDF)
    assert result.content_type == "application/pdf" and result.stream.tell() == 0
    assert len(PdfReader(result.stream).pages) == 1


@pytest.mark.parametrize("name, data", [
    ("notes.jpg", b"just some text, not a picture\n"),
    ("notes.pdf", b"just some text, not a PDF\n"),
    ("page.png", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
])
def test_disguised_files_are_rejected(name: str, data: bytes) -> None:
    message = rejected(name, data)
    assert "PDF, JPEG, PNG" in message and name in message


def test_oversize_is_rejected_without_reading_the_rest() -> None:
    stream = Counting(PDF + b"x" * (LIMIT * 10))
    with pytest.raises(UploadRejected):
        sanitize("big.pdf", cast(BinaryIO, stream), max_bytes=LIMIT)
    assert stream.taken == LIMIT + 1
    rejected("big.pdf", PDF + b"x" * (LIMIT + 1 - len(PDF)))


def test_exactly_max_bytes_is_accepted() -> None:
    data = PDF + b"x" * (LIMIT - len(PDF))  # pypdf reads past trailing bytes, as viewers do
    assert run("full.pdf", data).stream.read().startswith(b"%PDF-")


def test_empty_file_is_rejected() -> None:
    assert "empty" in rejected("blank.pdf", b"")


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],  # truncated mid-scan
    lambda data: data[:20] + b"\x00garbage" * 50,  # header followed by junk
])
def test_corrupt_jpeg_is_rejected(damage: Callable[[bytes], bytes]) -> None:
    assert "damaged" in rejected("broken.jpg", damage(jpeg_with_exif((200, 150))))


def test_truncated_image_is_rejected_by_the_sandbox_whatever_this_process_allows(monkeypatch) -> None:
    # WeasyPrint (the PDF receipt) sets this process-wide flag when it is imported; the cleaning
    # runs in a sandbox child, so the flag here must not reach it. That the cleaner turns the flag
    # off for itself is shown in-process by test_imageclean.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = jpeg_with_exif((200, 150))
    assert "damaged" in rejected("broken.jpg", data[: len(data) // 2])


@pytest.mark.parametrize("width, height", [(20000, 20000), (8000, 6000)])
def test_decompression_bomb_is_rejected(width: int, height: int) -> None:
    bomb = png_claiming(width, height)
    assert len(bomb) < 200
    with pytest.MonkeyPatch.context() as mp:  # the header is valid and claims the huge size
        mp.setattr(Image, "MAX_IMAGE_PIXELS", None)
        with Image.open(io.BytesIO(bomb)) as img:
            assert img.size == (width, height)
    assert "too many pixels" in rejected("bomb.png", bomb)


@pytest.mark.parametrize("name, expected", [
    ("C:\\Users\\somchai\\Desktop\\report.pdf", "report.pdf"),
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("bad\x00na\x1bme\u202e.pdf", "badname.pdf"),
    ("ร้องเรียน นายอำเภอ.pdf", "ร้องเรียน นายอำเภอ.pdf"),
    ("scan.jpeg", "scan.pdf"),
    ("", "attachment.pdf"),
    ("/uploads/", "attachment.pdf"),
])
def test_filename_is_cleaned(name: str, expected: str) -> None:
    assert run(name, PDF).filename == expected


@pytest.mark.parametrize("sent", ['C:\\Users\\somchai\\Desktop\\report.pdf', 'd:\\somchai\\report.pdf'])
def test_a_windows_path_the_multipart_parser_fused_keeps_no_name(sent: str) -> None:
    # IE and old Edge send the path unescaped; Werkzeug reads each backslash as an escape, so the
    # directories arrive fused to the name ("C:UserssomchaiDesktopreport.pdf").
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request

    body = (b'--B\r\nContent-Disposition: form-data; name="attachments"; filename="' + sent.encode()
            + b'"\r\nContent-Type: application/pdf\r\n\r\n' + PDF + b"\r\n--B--\r\n")
    environ = EnvironBuilder(method="POST", data=body, content_type="multipart/form-data; boundary=B").get_environ()
    arrived = Request(environ).files["attachments"].filename
    assert "somchai" in arrived and "\\" not in arrived
    assert run(arrived, PDF).filename == "attachment.pdf"


@pytest.mark.parametrize("sent, kept", [
    ("IMG_20251124_093012.jpg", "attachment.pdf"),  # Android cameras
    ("IMG_20251124_093012_123.jpg", "attachment.pdf"),
    ("PXL_20251124_023012345.jpg", "attachment.pdf"),  # Pixel
    ("20251124_093012.jpg", "attachment.pdf"),  # Samsung
    ("MVIMG_20251124_093012.jpg", "attachment.pdf"),
    ("WhatsApp Image 2025-11-24 at 09.30.12.jpeg", "attachment.pdf"),
    ("Screenshot 2025-11-24 at 09.30.12.png", "attachment.pdf"),  # macOS
    ("Screen Shot 2019-05-01 at 3.04.11 PM.png", "attachment.pdf"),  # older macOS
    ("Screenshot 2025-11-24 093012.png", "attachment.pdf"),  # Windows
    ("photo_2025-11-24_09-30-12.jpg", "attachment.pdf"),  # Telegram
    ("signal-2025-11-24-093012.jpg", "attachment.pdf"),
    ("LINE_P20251124_093012345.jpg", "attachment.pdf"),
    ("Scan_20251124_093012.pdf", "attachment.pdf"),
    ("CamScanner 11-24-2025 09.30.pdf", "attachment.pdf"),
    ("Screenshot_2025-11-24-09-30-12-123_com.android.chrome.jpg", "Screenshot_com.android.chrome.pdf"),
    ("doc00123420251124093012.pdf", "doc001234.pdf"),  # an office scanner: counter, then the moment
    ("หลักฐาน_ถนน_20251124_093012.jpg", "หลักฐาน_ถนน.pdf"),  # a person's words stay
    ("รูป 24-11-2568 09.30.12.jpg", "รูป.pdf"),
    ("ประชุม 2568-03-15.pdf", "ประชุม 2568-03-15.pdf"),  # a date alone, as a person names a file
    ("ใบเสร็จ 15.30.pdf", "ใบเสร็จ 15.30.pdf"),
    ("IMG_1234.JPG", "IMG_1234.pdf"),  # an iPhone's counter
])
def test_a_name_keeps_no_moment_a_camera_or_app_wrote_into_it(sent: str, kept: str) -> None:
    # EXIF's DateTimeOriginal goes; the same second in the name went through (security review).
    assert run(sent, PDF).filename == kept


def test_very_long_name_is_capped_keeping_extension() -> None:
    name = run("ก" * 300 + ".pdf", PDF).filename
    assert len(name) == 120 and name == "ก" * 116 + ".pdf"


def test_sanitize_all_limits_the_count() -> None:
    files = [(f"{i}.pdf", cast(BinaryIO, io.BytesIO(PDF))) for i in range(3)]
    assert len(sanitize_all(files[:2], max_bytes=LIMIT, max_files=2)) == 2
    files = [(f"{i}.pdf", cast(BinaryIO, io.BytesIO(PDF))) for i in range(3)]
    with pytest.raises(UploadRejected) as caught:
        sanitize_all(files, max_bytes=LIMIT, max_files=2)
    assert "ไม่เกิน 2 ไฟล์" in str(caught.value) and "at most 2 files" in str(caught.value)


def test_sanitize_all_skips_empty_parts_only() -> None:
    blank = ("", cast(BinaryIO, io.BytesIO(b"")))
    files = [blank, ("a.pdf", cast(BinaryIO, io.BytesIO(PDF))), ("", cast(BinaryIO, io.BytesIO(b"")))]
    result = sanitize_all(files, max_bytes=LIMIT, max_files=1)
    assert [f.filename for f in result] == ["a.pdf"]
    with pytest.raises(UploadRejected):  # a named but empty file is still an error
        sanitize_all([("named.pdf", cast(BinaryIO, io.BytesIO(b"")))], max_bytes=LIMIT, max_files=1)


def test_messages_are_thai_then_english_and_name_the_file() -> None:
    message = rejected("รูปถ่าย.gif", b"GIF89a\x01\x00")
    thai, english = message.split(" / ")
    assert "รูปถ่าย.gif" in thai and "รับเฉพาะ" in thai
    assert "รูปถ่าย.gif" in english and english.startswith("file ")
    assert set(ALLOWED) == {"application/pdf", "image/jpeg", "image/png"}


def test_the_files_of_one_form_share_one_time_budget(monkeypatch):
    # Five PDFs each stopped just short of their own 20 s would hold a web worker for 100 s.
    from complaints import uploads

    clock = [1000.0]
    given: list[float] = []

    def slow_clean(data: bytes, limits) -> bytes:  # uses all the time it is given, then succeeds
        given.append(round(limits.seconds, 3))
        clock[0] += limits.seconds
        return data

    monkeypatch.setattr(uploads.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(uploads, "clean_pdf", slow_clean)
    files = [(f"{i}.pdf", io.BytesIO(PDF)) for i in range(5)]
    with pytest.raises(UploadRejected, match="2.pdf.*ใช้เวลาตรวจนานเกินไป.*send fewer files"):
        sanitize_all(files, max_bytes=LIMIT, max_files=5)
    assert given == [20.0, uploads.FORM_CLEAN_SECONDS - 20.0]  # the third is refused, not started
    assert sum(given) <= uploads.FORM_CLEAN_SECONDS
