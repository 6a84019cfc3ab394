"""Uploaded PDFs lose every place a PDF can carry its author's name; the pages stay readable."""
from __future__ import annotations

import io
from typing import Any, BinaryIO, cast

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import StreamObject
from sqlalchemy import select

from complaints.models import Attachment, Case
from complaints.pdfclean import MAX_OBJECTS, strip_jpeg_metadata
from complaints.uploads import UploadRejected, sanitize
from complaints.web.context import get_store
from tests.pdf_samples import AUTHOR, PAGE_TEXT, jpeg_with_exif, pdf_of_many_objects, revealing_pdf
from tests.web_helpers import CORRUPTION, category_id, client_for, post_form

LIMIT = 10 * 1024 * 1024


def everything_in(pdf: bytes) -> bytes:
    """The raw file plus every stream of it decoded, so nothing compressed hides from a search."""
    reader = PdfReader(io.BytesIO(pdf))
    parts = [pdf]
    for generation, numbers in reader.xref.items():
        for number in numbers:
            obj = reader.get_object(number) if generation == 0 else None
            parts.append(repr(obj).encode())
            if isinstance(obj, StreamObject):
                parts.append(obj.get_data())
    return b"\n".join(parts)


def photo_of(page: Any) -> bytes:
    """The embedded JPEG's bytes as stored (DCT streams are not decoded by pypdf)."""
    return page["/Resources"]["/XObject"]["/Im1"].get_object().get_data()


def clean(data: bytes) -> bytes:
    return sanitize("report.pdf", io.BytesIO(data), max_bytes=LIMIT).stream.read()


def test_the_sample_does_carry_the_author_in_every_place() -> None:
    # Guards the test below: the canary must be there to begin with, in each hiding place.
    reader = PdfReader(io.BytesIO(revealing_pdf()))
    page = reader.pages[0]
    assert reader.metadata["/Author"] == AUTHOR and AUTHOR.encode() in reader.root_object["/Metadata"].get_data()
    assert "/Metadata" in page and "/PieceInfo" in page and page["/Annots"][0].get_object()["/T"] == AUTHOR
    assert Image.open(io.BytesIO(photo_of(page))).getexif()[0x013B] == AUTHOR


def test_author_is_gone_from_info_xmp_page_data_comments_and_photos() -> None:
    out = clean(revealing_pdf())
    assert AUTHOR.encode() not in everything_in(out)
    reader = PdfReader(io.BytesIO(out))
    page = reader.pages[0]
    assert reader.metadata is None and "/Metadata" not in reader.root_object
    assert "/ID" not in reader.trailer  # the original file identifier links back to its source
    assert PAGE_TEXT in page.extract_text()
    assert page["/Annots"][0].get_object()["/Contents"] == "see page 2"  # the comment stays, unsigned


def test_embedded_photo_keeps_its_exact_pixels_without_exif() -> None:
    photo = photo_of(PdfReader(io.BytesIO(clean(revealing_pdf()))).pages[0])
    with Image.open(io.BytesIO(photo)) as cleaned, Image.open(io.BytesIO(jpeg_with_exif())) as original:
        assert not cleaned.getexif() and "comment" not in cleaned.info
        assert cleaned.tobytes() == original.tobytes()  # segments removed, scan data untouched


def test_jpeg_surgery_keeps_colour_segments_and_leaves_non_jpeg_alone() -> None:
    jfif = b"\xff\xe0\x00\x06JFIF"
    icc, adobe = b"\xff\xe2\x00\x06ICC_", b"\xff\xee\x00\x06Adob"
    exif, iptc, comment = b"\xff\xe1\x00\x06Exif", b"\xff\xed\x00\x06Phot", b"\xff\xfe\x00\x06note"
    scan = b"\xff\xda\x00\x02" + b"\x12\x34\xff\x00\xff\xe1" + b"\xff\xd9"  # APP1-like bytes in scan data stay
    data = b"\xff\xd8" + jfif + exif + icc + iptc + adobe + comment + scan
    assert strip_jpeg_metadata(data) == b"\xff\xd8" + jfif + icc + adobe + scan
    assert strip_jpeg_metadata(b"not a jpeg") == b"not a jpeg"
    truncated = b"\xff\xd8" + exif[:3]
    assert strip_jpeg_metadata(truncated) == truncated


def test_pdf_just_under_the_object_cap_is_accepted() -> None:
    assert clean(pdf_of_many_objects(MAX_OBJECTS - 10)).startswith(b"%PDF-")


def test_pdf_locked_against_editing_only_is_accepted_and_unlocked() -> None:
    out = clean(revealing_pdf(owner_password="owner-only"))
    reader = PdfReader(io.BytesIO(out))
    assert not reader.is_encrypted and PAGE_TEXT in reader.pages[0].extract_text()
    assert AUTHOR.encode() not in everything_in(out)


@pytest.mark.parametrize("data, thai, english", [
    (revealing_pdf(user_password="secret"), "รหัสผ่าน", "password"),
    (b"%PDF-1.7\nnot really a PDF at all\n", "เสียหาย", "damaged"),
    (pdf_of_many_objects(MAX_OBJECTS + 1), "ซับซ้อน", "too complex"),
])
def test_unreadable_or_password_locked_pdf_is_refused_with_a_message(data: bytes, thai: str, english: str) -> None:
    with pytest.raises(UploadRejected) as caught:
        sanitize("หลักฐาน.pdf", io.BytesIO(data), max_bytes=LIMIT)
    message = str(caught.value)
    assert thai in message and english in message and "หลักฐาน.pdf" in message


def test_whistleblowers_pdf_is_stored_without_its_author(app, session) -> None:
    source = revealing_pdf()
    assert AUTHOR.encode() in source
    client = client_for(app)
    data = {**CORRUPTION, "category": category_id(session, "corruption")}
    response = post_form(client, "/corruption/new", data, [("รายงาน.pdf", source)])
    assert response.status_code == 303
    store = get_store(app)
    with store.sessions() as s:
        attachment = s.scalars(select(Attachment)).one()
        case = cast(Case, s.get(Case, attachment.case_id))
        stored = b"".join(store.vault.read_blob(case, attachment))
    assert case.channel == "corruption" and attachment.content_type == "application/pdf"
    assert stored.startswith(b"%PDF-") and AUTHOR.encode() not in everything_in(stored)
    assert PAGE_TEXT in PdfReader(cast(BinaryIO, io.BytesIO(stored))).pages[0].extract_text()
