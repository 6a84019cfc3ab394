"""JPEG 2000 pictures (a PDF's /JPXDecode images) with nothing but the picture.

A JP2 or JPX file is a sequence of boxes; besides the picture's own (header, codestream) it may
hold XML boxes (XMP with the author), UUID boxes (more XMP, GeoJP2 places), labels and
intellectual-property boxes, and its codestream may carry comment segments (the tool or a
person's text). Only the boxes of the picture are kept, and comments are removed from the
codestream's main header and blanked in its tile-part headers (blanked, not removed, so that
tile-part lengths, which index tables may repeat, stay true). A colour specification that embeds
an ICC profile, which names the scanner and when the profile was made, names the profile's
colour space instead. The picture data is copied as is. Anything that cannot be walked raises
ValueError, so nothing unexamined is kept.
"""
from __future__ import annotations

# Top-level boxes kept: signature, file type, reader requirements, the three header superboxes
# (rebuilt from _HEADER_PARTS) and the codestream. Everything else goes: decoders skip boxes they
# do not need, and a picture that needed one (a fragment table) is refused, not leaked.
_KEPT_BOXES = {b"jP  ", b"ftyp", b"rreq", b"jp2h", b"jpch", b"jplh", b"jp2c"}
_HEADERS = {b"jp2h", b"jpch", b"jplh"}
# What a header box may hold: image size, bit depths, colour (``_colour``), palette, channel
# mapping, resolution, and JPX's colour group (of colour boxes only), opacity and registration.
# Not labels.
_HEADER_PARTS = {b"ihdr", b"bpcc", b"colr", b"pclr", b"cmap", b"cdef", b"res ", b"cgrp", b"opct", b"creg"}
# A colour specification's method (its first byte; ISO 15444-1 I.5.3.3, 15444-2 M.11.7.2): 1 names
# a colour space, 2 and 3 embed an ICC profile. A profile gives way to the enumerated space of the
# data colour space in its header (bytes 16-19): sRGB, greyscale or CMYK. Only an sRGB-like
# profile looks the same; this matters only for an image whose PDF dictionary gives no
# /ColorSpace, as the dictionary's wins over the picture's own.
_ENUMERATED, _ICC = 1, (2, 3)
_NAMED_SPACES = {b"RGB ": 16, b"GRAY": 17, b"CMYK": 12}
CODESTREAM_START = b"\xff\x4f\xff\x51"  # SOC then SIZ
_COMMENT, _START_OF_TILE, _START_OF_DATA = 0x64, 0x90, 0x93
_END_OF_CODESTREAM = b"\xff\xd9"


def _segment_end(data: bytes | bytearray, at: int) -> int:
    """End of the marker segment starting at ``at`` (marker, 2-byte length, payload)."""
    if at + 4 > len(data) or data[at] != 0xFF:
        raise ValueError("marker segment expected")
    end = at + 2 + int.from_bytes(data[at + 2:at + 4], "big")
    if end < at + 4 or end > len(data):
        raise ValueError("segment runs past the end")
    return end


def _blank_tile_comments(tile: bytearray) -> None:
    at = 12  # after the SOT segment
    while tile[at:at + 2] != b"\xff\x93":
        end = _segment_end(tile, at)
        if tile[at + 1] == _COMMENT:
            if end < at + 6:
                raise ValueError("comment without its registration")
            tile[at + 6:end] = b" " * (end - at - 6)
        at = end


def clean_codestream(data: bytes) -> bytes:
    """A JPEG 2000 codestream without comments, cut at its end marker (appended bytes go)."""
    if not data.startswith(CODESTREAM_START):
        raise ValueError("not a JPEG 2000 codestream")
    out = bytearray(data[:2])
    at = 2
    while data[at + 1:at + 2] != bytes([_START_OF_TILE]):  # the main header
        end = _segment_end(data, at)
        if data[at + 1] != _COMMENT:
            out += data[at:end]
        at = end
    while at < len(data):
        if data[at:at + 2] == _END_OF_CODESTREAM:
            break
        if data[at:at + 2] != b"\xff\x90" or at + 14 > len(data):
            raise ValueError("tile-part expected")
        length = int.from_bytes(data[at + 6:at + 10], "big")
        # Length 0: the last tile-part, running to the end marker (which tile data cannot contain).
        end = data.rfind(_END_OF_CODESTREAM) if length == 0 else at + length
        if end < at + 14 or end > len(data):
            raise ValueError("tile-part runs past the end")
        tile = bytearray(data[at:end])
        _blank_tile_comments(tile)
        out += tile
        at = end
    return bytes(out + _END_OF_CODESTREAM)  # a truncated codestream gets its end, as decoders assume


def _box(kind: bytes, body: bytes) -> bytes:
    if len(body) + 8 < 2**32:
        return (len(body) + 8).to_bytes(4, "big") + kind + body
    return (1).to_bytes(4, "big") + kind + (len(body) + 16).to_bytes(8, "big") + body


def _boxes(data: bytes) -> tuple[list[tuple[bytes, int, int, int]], int]:
    """The boxes of ``data`` as (type, start, body start, end), and where the walk stopped:
    at the end, or at the first box that cannot be read."""
    found = []
    at = 0
    while at + 8 <= len(data):
        length, kind, body_at = int.from_bytes(data[at:at + 4], "big"), data[at + 4:at + 8], at + 8
        if length == 1:  # a 64-bit length follows the type
            length, body_at = int.from_bytes(data[at + 8:at + 16], "big"), at + 16
        elif length == 0:  # the last box runs to the end of the file
            length = len(data) - at
        if length < body_at - at or at + length > len(data):
            break
        found.append((kind, at, body_at, at + length))
        at += length
    return found, at


def _colour(body: bytes) -> bytes:
    """A colour specification box's body naming its colour space, whether it did or embedded a
    profile; ValueError for any other kind (a vendor's colour method)."""
    method = body[0] if body else None
    if method == _ENUMERATED:
        return body  # numbers only: the space and, for Lab, its range and illuminant
    space = _NAMED_SPACES.get(body[3 + 16:3 + 20]) if method in _ICC else None
    if space is None:
        raise ValueError("colour neither named nor given by a grey, RGB or CMYK profile")
    # The profile starts after the method, precedence and approximation bytes; the last two stay.
    return bytes([_ENUMERATED]) + body[1:3] + space.to_bytes(4, "big")


def _header(kind: bytes, body: bytes, allowed: set[bytes] = _HEADER_PARTS) -> bytes:
    parts, stopped = _boxes(body)
    if stopped != len(body):
        raise ValueError("header box cannot be walked")
    kept = []
    for part, start, body_at, end in parts:
        if part == b"colr":
            kept.append(_box(part, _colour(body[body_at:end])))
        elif part == b"cgrp" and part in allowed:  # a colour group holds colour boxes, never a group
            kept.append(_header(part, body[body_at:end], {b"colr"}))
        elif part in allowed:
            kept.append(body[start:end])
    return _box(kind, b"".join(kept))


def strip_jpx_metadata(data: bytes) -> bytes:
    """A JPEG 2000 image (a JP2/JPX file or a bare codestream) with only the picture: the boxes
    of ``_KEPT_BOXES``, headers without labels, codestreams without comments."""
    if data.startswith(CODESTREAM_START):
        return clean_codestream(data)
    if data[4:8] != b"jP  ":
        raise ValueError("not a JPEG 2000 file")
    boxes, _ = _boxes(data)
    if not any(kind == b"jp2c" for kind, *_ in boxes):
        raise ValueError("no codestream box")  # e.g. one assembled from fragments elsewhere
    # The walk stops at the first bytes that are not a box: after the codestream (padding, a
    # stray newline) they are dropped with whatever follows; before it, there is no codestream.
    kept = []
    for kind, start, body_at, end in boxes:
        if kind == b"jp2c":
            kept.append(_box(kind, clean_codestream(data[body_at:end])))
        elif kind in _HEADERS:
            kept.append(_header(kind, data[body_at:end]))
        elif kind in _KEPT_BOXES:
            kept.append(data[start:end])
    return b"".join(kept)
