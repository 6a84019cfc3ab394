"""Embedded pictures keep only the picture: JPEG segments and JPEG 2000 boxes and comments."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from complaints.pdfimages import strip_codestream_comments, strip_jpeg_metadata, strip_jpx_metadata
from tests.pdf_samples import AUTHOR, jpx_with_metadata


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
    assert strip_jpeg_metadata(data) == (b"\xff\xd8" + jfif + icc + adobe + tables + scan1
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


def box(kind: bytes, body: bytes) -> bytes:
    return (len(body) + 8).to_bytes(4, "big") + kind + body


SIGNATURE = box(b"jP  ", b"\r\n\x87\n")
CODESTREAM = (b"\xff\x4f" + segment(0x51, b"size") + segment(0x64, b"\x00\x01" + AUTHOR.encode())
              + segment(0x52, b"coding") + segment(0x64, b"\x00\x01by " + AUTHOR.encode()) + segment(0x5C, b"quant")
              + segment(0x90, b"tile-part") + b"\xff\x93tile data \xff\x64 not a marker here\xff\xd9")
BARE = b"\xff\x4f" + segment(0x51, b"size") + segment(0x52, b"coding") + segment(0x5C, b"quant") + CODESTREAM[
    CODESTREAM.index(b"\xff\x90"):]


def test_codestream_loses_the_comments_of_its_main_header_and_keeps_its_tiles() -> None:
    assert strip_codestream_comments(CODESTREAM) == BARE
    assert strip_jpx_metadata(CODESTREAM) == BARE  # a bare codestream, as PDFs may embed


def test_jp2_keeps_the_boxes_of_the_picture_whatever_their_length_form() -> None:
    header, kind = box(b"jp2h", box(b"ihdr", b"dims") + box(b"colr", b"srgb")), box(b"ftyp", b"jp2 ")
    xmp = box(b"xml ", f"<dc:creator>{AUTHOR}</dc:creator>".encode())
    uuid = (1).to_bytes(4, "big") + b"uuid" + (16 + 20).to_bytes(8, "big") + b"geojp2-uuid-" + AUTHOR[:8].encode()
    assert len(uuid) == 36
    for codestream_box in (box(b"jp2c", CODESTREAM), (0).to_bytes(4, "big") + b"jp2c" + CODESTREAM):
        data = SIGNATURE + kind + xmp + header + uuid + box(b"jp2i", AUTHOR.encode()) + codestream_box
        assert strip_jpx_metadata(data) == SIGNATURE + kind + header + box(b"jp2c", BARE)


@pytest.mark.parametrize("data", [
    b"\x00\x00\x00\x0cjP  \r\n\x87\n" + b"\x00\x00\x01\x00xml " + AUTHOR.encode(),  # box runs past the end
    b"\x00\x00\x00\x0cjP  \r\n\x87\n" + b"\x00\x00\x00\x04xml ",  # shorter than its own header
    b"\x00\x00\x00\x0cjP  \r\n\x87\n" + b"\x00\x00",  # a header cut off
    b"\xff\x4f\xff\x51\x00\x02" + segment(0x64, AUTHOR.encode()),  # no tile after the main header
    b"\xff\x4f\xff\x51\xff\xff" + AUTHOR.encode(),  # segment runs past the end
    b"GIF89a" + AUTHOR.encode(),
])
def test_jpeg_2000_that_cannot_be_walked_is_refused_not_kept(data: bytes) -> None:
    with pytest.raises(ValueError):
        strip_jpx_metadata(data)


@pytest.mark.parametrize("codestream_only", [False, True])
def test_real_jpeg_2000_keeps_its_exact_pixels_without_the_author(codestream_only: bool) -> None:
    source = jpx_with_metadata(codestream_only)
    assert AUTHOR.encode() in source
    cleaned = strip_jpx_metadata(source)
    assert AUTHOR.encode() not in cleaned
    with Image.open(io.BytesIO(cleaned)) as after, Image.open(io.BytesIO(source)) as before:
        assert after.size == before.size and after.tobytes() == before.tobytes()
