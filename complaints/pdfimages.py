"""The pictures embedded in a PDF, without what is not the picture.

A scan made with a phone app embeds JPEGs with EXIF and GPS; a JPEG 2000 (JPX) image can carry
XMP or other XML, UUID boxes and comments. Both are cleaned losslessly: the compressed picture is
copied as it is and only the wrappers around it are dropped. Anything that cannot be walked raises
ValueError, so nothing unexamined is kept.
"""
from __future__ import annotations

from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

# Application segments kept, by marker and signature: JFIF (APP0), the ICC colour profile (APP2)
# and Adobe's colour transform (APP14), which decoders need. Every other APPn (EXIF and XMP in
# APP1, IPTC in APP13, maker data) and comments (COM) go.
_KEPT_APP = {0xE0: (b"JFIF\0", b"JFXX\0"), 0xE2: (b"ICC_PROFILE\0",), 0xEE: (b"Adobe",)}
_COMMENT = 0xFE
_START_OF_SCAN = 0xDA
_END_OF_IMAGE = 0xD9
# JPEG 2000 boxes that make up the picture: signature, file type, reader requirements, header,
# codestream, and JPX's codestream and layer headers. XML (XMP), UUID (more XMP, GeoJP2 places),
# UUID info, intellectual property, labels, associations and anything unknown go: decoders skip
# boxes they do not need, and a picture that needed one shows broken rather than leaking.
_KEPT_BOXES = {b"jP  ", b"ftyp", b"rreq", b"jp2h", b"jp2c", b"jpch", b"jplh"}
_CODESTREAM_START = b"\xff\x4f\xff\x51"  # SOC then SIZ
_CODESTREAM_COMMENT = 0x64
_START_OF_TILE = 0x90


def _keep_segment(marker: int, segment: bytes) -> bool:
    if marker == _COMMENT:
        return False
    if not 0xE0 <= marker <= 0xEF:
        return True  # tables, frame and restart headers: the picture itself
    payload = segment[4:]
    # APP2 also carries MPF (links to further frames); APP0 may be JFIF or its extension JFXX.
    return any(payload.startswith(tag) for tag in _KEPT_APP.get(marker, ()))


def _end_of_scan(data: bytes, at: int) -> int:
    """Index of the marker ending the entropy-coded data that starts at ``at`` (or len(data))."""
    while True:
        at = data.find(b"\xff", at)
        if at < 0 or at + 1 >= len(data):
            return len(data)
        following = data[at + 1]
        if following == 0xFF:  # fill byte before a marker
            at += 1
        elif following == 0x00 or 0xD0 <= following <= 0xD7:  # stuffed byte or restart marker
            at += 2
        else:
            return at


def strip_jpeg_metadata(data: bytes) -> bytes:
    """``data`` with only the JPEG segments that make up the picture, up to its end marker.

    EXIF, XMP, IPTC, maker data and comments go, wherever they sit (also between the scans of a
    progressive JPEG), and so does anything after the end marker (the extra frames, with their
    own EXIF, that phones append). The compressed picture is copied as is. Raises ValueError
    when the segments cannot be walked, so nothing unexamined is kept.
    """
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    kept = [b"\xff\xd8"]
    at = 2
    while True:
        at = data.find(b"\xff", at)  # bytes between segments are skipped, as decoders do
        if at < 0 or at + 1 >= len(data):
            raise ValueError("no end-of-image marker")
        marker = data[at + 1]
        if marker in (0xFF, 0x00) or 0xD0 <= marker <= 0xD7:  # fill, or stray standalone bytes
            at += 1 if marker == 0xFF else 2
            continue
        if marker == _END_OF_IMAGE:
            kept.append(b"\xff\xd9")
            return b"".join(kept)
        length = int.from_bytes(data[at + 2:at + 4], "big")
        end = at + 2 + length
        if length < 2 or end > len(data):
            raise ValueError("segment runs past the end")
        if marker == _START_OF_SCAN:
            scan_end = _end_of_scan(data, end)
            kept.append(data[at:scan_end])
            if scan_end == len(data):  # a truncated file: decoders show what there is
                kept.append(b"\xff\xd9")
                return b"".join(kept)
            at = scan_end
            continue
        if _keep_segment(marker, data[at:end]):
            kept.append(data[at:end])
        at = end


def strip_codestream_comments(data: bytes) -> bytes:
    """A JPEG 2000 codestream without the comment segments of its main header, where encoders
    and tools write their text; tile data is copied as is. Raises ValueError if it cannot be walked."""
    if not data.startswith(_CODESTREAM_START):
        raise ValueError("not a JPEG 2000 codestream")
    kept = [data[:2]]
    at = 2
    while True:
        if at + 4 > len(data) or data[at] != 0xFF:
            raise ValueError("main header runs past the end")
        marker = data[at + 1]
        if marker == _START_OF_TILE:
            kept.append(data[at:])
            return b"".join(kept)
        end = at + 2 + int.from_bytes(data[at + 2:at + 4], "big")
        if end < at + 4 or end > len(data):
            raise ValueError("segment runs past the end")
        if marker != _CODESTREAM_COMMENT:
            kept.append(data[at:end])
        at = end


def _box(kind: bytes, body: bytes) -> bytes:
    if len(body) + 8 < 2**32:
        return (len(body) + 8).to_bytes(4, "big") + kind + body
    return (1).to_bytes(4, "big") + kind + (len(body) + 16).to_bytes(8, "big") + body


def strip_jpx_metadata(data: bytes) -> bytes:
    """A JPEG 2000 image (a JP2/JPX file or a bare codestream) with only the boxes of the picture
    (``_KEPT_BOXES``), and its codestreams without comments. Raises ValueError when the boxes
    cannot be walked."""
    if data.startswith(_CODESTREAM_START):
        return strip_codestream_comments(data)
    if data[4:8] != b"jP  ":
        raise ValueError("not a JPEG 2000 file")
    kept = []
    at = 0
    while at < len(data):
        if at + 8 > len(data):
            raise ValueError("box header runs past the end")
        length, kind, body_at = int.from_bytes(data[at:at + 4], "big"), data[at + 4:at + 8], at + 8
        if length == 1:  # a 64-bit length follows the type
            length, body_at = int.from_bytes(data[at + 8:at + 16], "big"), at + 16
        elif length == 0:  # the last box runs to the end of the file
            length = len(data) - at
        end = at + length
        if end < body_at or end > len(data):
            raise ValueError("box runs past the end")
        if kind == b"jp2c":
            kept.append(_box(kind, strip_codestream_comments(data[body_at:end])))
        elif kind in _KEPT_BOXES:
            kept.append(data[at:end])
        at = end
    return b"".join(kept)


_CLEANERS = {"/DCTDecode": strip_jpeg_metadata, "/JPXDecode": strip_jpx_metadata}


def _last_filter(stream: StreamObject) -> object:
    filters = stream.get("/Filter")
    names = list(filters) if isinstance(filters, ArrayObject) else [filters]
    return names[-1] if names else None


def is_picture(stream: StreamObject) -> bool:
    """True when the stream's data, its other filters undone, is a JPEG or JPEG 2000 file."""
    return _last_filter(stream) in _CLEANERS


def clean_picture(stream: StreamObject) -> None:
    """Replace a JPEG or JPEG 2000 stream's data with its cleaned picture, stored under that one
    filter (with that filter's own parameters, if it had any). Raises ValueError as the cleaners do."""
    last = str(_last_filter(stream))
    # pypdf undoes any filters before the picture's own and hands the file over as stored.
    picture = _CLEANERS[last](stream.get_data())
    parameters = stream.get("/DecodeParms")
    if isinstance(parameters, ArrayObject):
        final = parameters[-1] if len(parameters) else None
        if isinstance(final, (DictionaryObject, IndirectObject)):
            stream[NameObject("/DecodeParms")] = final
        else:
            stream.pop("/DecodeParms", None)
    stream[NameObject("/Filter")] = NameObject(last)
    # Only the base class's set_data stores bytes as given; the encoded-stream subclass would
    # try to re-encode them with the stream's filter.
    StreamObject.set_data(stream, picture)
