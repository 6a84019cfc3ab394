"""JPEG 2000 pictures keep only the picture: boxes, headers and codestream comments."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from complaints.jpeg2000 import clean_codestream, strip_jpx_metadata
from tests.pdf_samples import AUTHOR, jpx_with_metadata


def segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


def box(kind: bytes, body: bytes) -> bytes:
    return (len(body) + 8).to_bytes(4, "big") + kind + body


def tile_part(header: bytes, data: bytes, length: int | None = None) -> bytes:
    """SOT (tile 0, its length, part 0 of 1), header segments, SOD and the tile data."""
    total = 12 + len(header) + 2 + len(data) if length is None else length
    return b"\xff\x90\x00\x0a\x00\x00" + total.to_bytes(4, "big") + b"\x00\x01" + header + b"\xff\x93" + data


NOTE = segment(0x64, b"\x00\x01by " + AUTHOR.encode())
BLANKED = segment(0x64, b"\x00\x01" + b" " * len(b"by " + AUTHOR.encode()))
MAIN = b"\xff\x4f" + segment(0x51, b"size") + NOTE + segment(0x52, b"coding") + segment(0x5C, b"quant")
MAIN_CLEAN = b"\xff\x4f" + segment(0x51, b"size") + segment(0x52, b"coding") + segment(0x5C, b"quant")
TILES = tile_part(NOTE + segment(0x58, b"plt"), b"\x12\x34\x56") + tile_part(b"", b"\xff\x64 data", length=0)
TILES_CLEAN = tile_part(BLANKED + segment(0x58, b"plt"), b"\x12\x34\x56") + tile_part(b"", b"\xff\x64 data", 0)
CODESTREAM = MAIN + TILES + b"\xff\xd9"
CLEAN = MAIN_CLEAN + TILES_CLEAN + b"\xff\xd9"


def test_codestream_comments_are_removed_from_the_main_header_and_blanked_in_tiles() -> None:
    # Blanked in place: a tile-part keeps its length, which an index (TLM) may repeat.
    assert clean_codestream(CODESTREAM) == CLEAN
    assert strip_jpx_metadata(CODESTREAM + b"appended by " + AUTHOR.encode()) == CLEAN  # a bare codestream
    first, first_clean = TILES[:TILES.index(b"\xff\x90", 1)], TILES_CLEAN[:TILES_CLEAN.index(b"\xff\x90", 1)]
    assert clean_codestream(MAIN + first) == MAIN_CLEAN + first_clean + b"\xff\xd9"  # truncated: gets its end


SIGNATURE, KIND = box(b"jP  ", b"\r\n\x87\n"), box(b"ftyp", b"jp2 ")
HEADER = box(b"ihdr", b"dims") + box(b"colr", b"\x01\x00\x00" + (16).to_bytes(4, "big"))  # sRGB, by name


def test_jp2_keeps_the_boxes_of_the_picture_whatever_their_length_form() -> None:
    xmp = box(b"xml ", f"<dc:creator>{AUTHOR}</dc:creator>".encode())
    uuid = (1).to_bytes(4, "big") + b"uuid" + (16 + 20).to_bytes(8, "big") + b"geojp2-uuid-" + AUTHOR[:8].encode()
    nested = box(b"jp2h", HEADER + box(b"lbl ", AUTHOR.encode()) + xmp)  # not where the standard puts them
    expected = SIGNATURE + KIND + box(b"jp2h", HEADER) + box(b"jp2c", CLEAN)
    for codestream_box in (box(b"jp2c", CODESTREAM), (0).to_bytes(4, "big") + b"jp2c" + CODESTREAM):
        data = SIGNATURE + KIND + xmp + nested + uuid + box(b"jp2i", AUTHOR.encode()) + codestream_box
        assert strip_jpx_metadata(data) == expected
    padded = SIGNATURE + KIND + box(b"jp2h", HEADER) + box(b"jp2c", CODESTREAM) + b"\r\n"
    assert strip_jpx_metadata(padded) == expected  # bytes after the codestream that are no box


@pytest.mark.parametrize("data", [
    SIGNATURE + b"\x00\x00\x01\x00xml " + AUTHOR.encode(),  # box runs past the end: no codestream
    SIGNATURE + box(b"jp2h", HEADER) + box(b"ftbl", b"fragments elsewhere"),  # no codestream box
    SIGNATURE + box(b"jp2h", HEADER[:-3]) + box(b"jp2c", CODESTREAM),  # a header that cannot be walked
    b"\xff\x4f\xff\x51\x00\x02" + segment(0x64, AUTHOR.encode()),  # no tile after the main header
    b"\xff\x4f\xff\x51\xff\xff" + AUTHOR.encode(),  # segment runs past the end
    MAIN + tile_part(NOTE, b"\x12", length=9999),  # tile-part runs past the end
    MAIN + tile_part(b"", b"\x12", length=0),  # last tile-part without the end marker
    MAIN + tile_part(segment(0x64, b"\x00"), b"\x12") + b"\xff\xd9",  # comment without its registration
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
