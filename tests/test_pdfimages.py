"""Embedded JPEGs keep only the picture, however the PDF refers to them (JPEG 2000: test_jpeg2000)."""
from __future__ import annotations

import io
from typing import Any

import pytest

from pypdf import PdfReader, PdfWriter
from PIL import Image
from pypdf.generic import ArrayObject, ContentStream, DecodedStreamObject, DictionaryObject, NameObject, NumberObject

from complaints.pdfclean import PdfUnreadable, strip_pdf
from complaints.pdfimages import strip_jpeg_metadata
from tests.pdf_checks import everything_in
from tests.pdf_samples import AUTHOR, jpeg_with_exif, photo_stream


def segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


def test_jpeg_keeps_only_the_picture_wherever_metadata_sits() -> None:
    jfif, icc, adobe = segment(0xE0, b"JFIF\0..."), segment(0xE2, b"ICC_PROFILE\0.."), segment(0xEE, b"Adobe..")
    tables = segment(0xDB, b"q-table") + segment(0xC2, b"frame")
    exif, mpf, iptc, note = (segment(0xE1, b"Exif\0\0" + AUTHOR.encode()), segment(0xE2, b"MPF\0" + AUTHOR.encode()),
                             segment(0xED, b"Photoshop " + AUTHOR.encode()), segment(0xFE, AUTHOR.encode()))
    scan1 = segment(0xDA, b"s1") + b"\x12\xff\x00\x34\xff\xd0\x56"  # stuffed byte and restart marker are data
    scan2 = segment(0xDA, b"s2") + b"\x78\xff\xff"  # ends in fill bytes before the end marker
    data = (b"\xff\xd8" + jfif + exif + b"\x00\x00" + icc + mpf + iptc + adobe + tables + scan1 + note
            + segment(0xC4, b"huffman") + scan2 + b"\xff\xd9" + b"second frame " + exif)
    # The ICC profile goes too: it names the scanner (test_icc_profiles).
    assert strip_jpeg_metadata(data) == (b"\xff\xd8" + jfif + adobe + tables + scan1
                                         + segment(0xC4, b"huffman") + scan2 + b"\xff\xd9")


@pytest.mark.parametrize("data", [
    b"not a jpeg",
    b"\xff\xd8" + b"\xff\xe1\xff\xf0Exif\0\0" + AUTHOR.encode(),  # segment runs past the end
    b"\xff\xd8" + b"\xff\xe1\x00\x00" + AUTHOR.encode(),  # impossible length
    b"\xff\xd8" + segment(0xE1, AUTHOR.encode()),  # no picture, no end
])
def test_jpeg_that_cannot_be_walked_is_refused_not_kept(data: bytes) -> None:
    with pytest.raises(ValueError):
        strip_jpeg_metadata(data)


def test_truncated_jpeg_keeps_its_picture_and_gets_an_end() -> None:
    data = b"\xff\xd8" + segment(0xE1, AUTHOR.encode()) + segment(0xDA, b"s") + b"\x12\x34"
    assert strip_jpeg_metadata(data) == b"\xff\xd8" + segment(0xDA, b"s") + b"\x12\x34\xff\xd9"


def test_jfif_keeps_its_header_without_the_thumbnail_and_jfxx_thumbnails_go() -> None:
    header = b"JFIF\0\x01\x02\x01\x00\x48\x00\x48"
    with_thumbnail = segment(0xE0, header + b"\x02\x01" + b"RGBRGB")  # a 2 x 1 picture of the page
    jfxx = segment(0xE0, b"JFXX\0\x10" + b"thumbnail of the page before it was covered")
    picture = segment(0xDA, b"s") + b"\x12\x34\xff\xd9"
    cleaned = strip_jpeg_metadata(b"\xff\xd8" + with_thumbnail + jfxx + picture)
    assert cleaned == b"\xff\xd8" + segment(0xE0, header + b"\x00\x00") + picture


def _pdf_with_photo(filters: Any) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject({
        NameObject("/Im1"): writer._add_object(photo_stream(jpeg_with_exif(), filters(writer)))})})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("filters", [
    lambda w: w._add_object(NameObject("/DCTDecode")),  # an indirect name
    lambda w: w._add_object(ArrayObject([NameObject("/DCTDecode")])),  # an indirect array
    lambda w: ArrayObject([w._add_object(NameObject("/DCTDecode"))]),  # an array holding an indirect name
], ids=["name", "array", "name in array"])
def test_a_jpeg_behind_an_indirect_filter_is_cleaned_too(filters: Any) -> None:
    source = _pdf_with_photo(filters)
    assert AUTHOR.encode() in source
    photo = PdfReader(io.BytesIO(strip_pdf(source))).pages[0]["/Resources"]["/XObject"]["/Im1"]
    assert AUTHOR.encode() not in photo.get_data() and photo["/Filter"] == "/DCTDecode"


def test_a_picture_behind_a_filter_nobody_knows_is_refused_as_damaged_not_locked() -> None:
    source = _pdf_with_photo(lambda w: ArrayObject([NameObject("/MadeUpDecode"), NameObject("/DCTDecode")]))
    with pytest.raises(PdfUnreadable) as caught:
        strip_pdf(source)
    assert caught.value.reason == "damaged"


def _pdf_with_inline_photo(filters: bytes = b"/DCT", in_form: bool = False) -> bytes:
    """A page drawing a JPEG inline (BI … ID … EI), compressed, on the page or in a form, after a
    comment naming the author (gone too, as the cleaned drawing instructions are written anew)."""
    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    comment = f"% Creator: Microsoft Word - {AUTHOR}@office.local C:\\Users\\{AUTHOR}\\memo.docx\n".encode()
    drawing = b"q 24 0 0 16 10 10 cm BI /W 24 /H 16 /CS /RGB /BPC 8 /F " + filters + b" ID " + jpeg_with_exif() + b"\nEI Q"
    content = DecodedStreamObject()
    content.set_data(comment + drawing)
    if in_form:
        content.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                        NameObject("/BBox"): ArrayObject([NumberObject(v) for v in (0, 0, 100, 100)])})
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject(
            {NameObject("/Fm1"): writer._add_object(content.flate_encode())})})
        content = DecodedStreamObject()
        content.set_data(b"/Fm1 Do")
    page[NameObject("/Contents")] = writer._add_object(content.flate_encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _inline_picture(pdf: bytes, in_form: bool) -> bytes:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    stream = page["/Resources"]["/XObject"]["/Fm1"] if in_form else page["/Contents"]
    return next(ops["data"] for ops, op in ContentStream(stream.get_object(), None).operations if op == b"INLINE IMAGE")


@pytest.mark.parametrize("in_form", [False, True], ids=["on the page", "in a form"])
def test_an_inline_jpeg_keeps_its_picture_and_loses_its_exif(in_form: bool) -> None:
    source = _pdf_with_inline_photo(in_form=in_form)
    assert AUTHOR.encode() in everything_in(source)
    cleaned = strip_pdf(source)
    assert AUTHOR.encode() not in everything_in(cleaned)
    before, after = (Image.open(io.BytesIO(_inline_picture(p, in_form))) for p in (source, cleaned))
    assert before.tobytes() == after.tobytes()


def test_an_inline_jpeg_behind_another_filter_is_refused_not_kept() -> None:
    with pytest.raises(PdfUnreadable):
        strip_pdf(_pdf_with_inline_photo(b"[/AHx /DCT]"))
