"""Uploaded PDFs lose every place a PDF can carry its author's name; the pages stay readable."""
from __future__ import annotations

import io
from typing import Any, BinaryIO, cast

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from complaints.models import Attachment, Case
from complaints.pdfclean import MAX_OBJECTS
from complaints.uploads import UploadRejected, sanitize
from complaints.web.context import get_store
from tests.pdf_checks import LIMIT, clean, everything_in
from tests.pdf_samples import (
    AUTHOR,
    COMMENT_DATE,
    PAGE_TEXT,
    SIGNING_DATE,
    certificate_locked_pdf,
    jpeg_with_exif,
    pdf_of_many_objects,
    revealing_pdf,
    stray_signature_pdf,
)
from tests.web_helpers import CORRUPTION, category_id, client_for, post_form

def photo_of(page: Any, name: str = "/Im1") -> bytes:
    """An embedded JPEG's bytes (pypdf undoes other filters and leaves the JPEG as it is)."""
    return page["/Resources"]["/XObject"][name].get_object().get_data()


def test_the_sample_does_carry_the_author_in_every_place() -> None:
    # Guards the test below: the canary must be there to begin with, in each hiding place.
    reader = PdfReader(io.BytesIO(revealing_pdf()))
    page = reader.pages[0]
    assert reader.metadata["/Author"] == AUTHOR and AUTHOR.encode() in reader.root_object["/Metadata"].get_data()
    assert "/Metadata" in page and "/PieceInfo" in page and page["/Annots"][0].get_object()["/T"] == AUTHOR
    assert Image.open(io.BytesIO(photo_of(page))).getexif()[0x013B] == AUTHOR
    assert page["/Annots"][1].get_object()["/FS"]["/EF"]["/F"].get_data().endswith(AUTHOR.encode())
    assert page["/Annots"][2].get_object()["/Parent"]["/T"] == AUTHOR  # comment reachable only from its popup
    assert page["/Annots"][0].get_object()["/NM"].startswith(AUTHOR)
    assert all(AUTHOR.encode() in photo_of(page, name) for name in ("/Im3", "/Im4"))  # JPEG 2000


def test_author_is_gone_from_info_xmp_page_data_comments_and_photos() -> None:
    out = clean(revealing_pdf())
    assert AUTHOR.encode() not in everything_in(out)
    reader = PdfReader(io.BytesIO(out))
    page = reader.pages[0]
    assert reader.metadata is None and "/Metadata" not in reader.root_object
    assert PAGE_TEXT in page.extract_text()
    assert page["/Annots"][0].get_object()["/Contents"] == "see page 2"  # the comment stays, unsigned


def test_comments_lose_their_name_and_dates() -> None:
    out = clean(revealing_pdf())
    comment = PdfReader(io.BytesIO(out)).pages[0]["/Annots"][0].get_object()
    assert not {"/NM", "/M", "/CreationDate"} & set(comment) and COMMENT_DATE.encode() not in everything_in(out)


def test_a_signature_value_reachable_outside_its_field_loses_its_signer_and_date() -> None:
    source = stray_signature_pdf()
    assert AUTHOR.encode() in source and SIGNING_DATE.encode() in source
    out = everything_in(clean(source))
    assert AUTHOR.encode() not in out and SIGNING_DATE.encode() not in out


@pytest.mark.parametrize("name", ["/Im3", "/Im4"])  # a JP2 file; a bare codestream
def test_embedded_jpeg_2000_keeps_its_exact_pixels(name: str) -> None:
    source, page = PdfReader(io.BytesIO(revealing_pdf())).pages[0], PdfReader(io.BytesIO(clean(revealing_pdf()))).pages[0]
    assert page["/Resources"]["/XObject"][name].get_object()["/Filter"] == "/JPXDecode"
    with Image.open(io.BytesIO(photo_of(page, name))) as cleaned, Image.open(io.BytesIO(photo_of(source, name))) as original:
        assert cleaned.tobytes() == original.tobytes()


@pytest.mark.parametrize("name", ["/Im1", "/Im2"])  # stored plainly; behind a Flate filter
def test_embedded_photo_keeps_its_exact_pixels_without_exif(name: str) -> None:
    page = PdfReader(io.BytesIO(clean(revealing_pdf()))).pages[0]
    assert page["/Resources"]["/XObject"][name].get_object()["/Filter"] == "/DCTDecode"
    photo = photo_of(page, name)
    with Image.open(io.BytesIO(photo)) as cleaned, Image.open(io.BytesIO(jpeg_with_exif())) as original:
        assert not cleaned.getexif() and "comment" not in cleaned.info and photo.endswith(b"\xff\xd9")
        assert cleaned.tobytes() == original.tobytes()  # segments removed, scan data untouched


def test_pdf_just_under_the_object_cap_is_accepted() -> None:
    assert clean(pdf_of_many_objects(MAX_OBJECTS - 10)).startswith(b"%PDF-")


def test_pdf_locked_against_editing_only_is_accepted_unlocked_and_without_its_file_id() -> None:
    source = revealing_pdf(owner_password="owner-only")
    assert "/ID" in PdfReader(io.BytesIO(source)).trailer  # encrypted files always have one
    out = clean(source)
    reader = PdfReader(io.BytesIO(out))
    assert not reader.is_encrypted and PAGE_TEXT in reader.pages[0].extract_text()
    assert "/ID" not in reader.trailer  # the original file identifier links back to its source
    assert AUTHOR.encode() not in everything_in(out)


@pytest.mark.parametrize("data, thai, english", [
    (revealing_pdf(user_password="secret"), "รหัสผ่าน", "password"),
    (b"%PDF-1.7\nnot really a PDF at all\n", "เสียหาย", "damaged"),
    (pdf_of_many_objects(MAX_OBJECTS + 1), "ซับซ้อน", "too complex"),
    (certificate_locked_pdf(), "รหัสผ่าน", "password"),  # pypdf: NotImplementedError
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
