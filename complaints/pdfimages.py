"""The pictures embedded in a PDF, without what is not the picture.

A scan made with a phone app embeds JPEGs with EXIF and GPS; a JPEG 2000 (JPX) image can carry
XMP or other XML, UUID boxes and comments (``jpeg2000``), and either an ICC colour profile that
names the scanner. Both are cleaned losslessly: the compressed picture is copied as it is and
only what surrounds it is dropped. Anything that cannot be walked raises ValueError, so nothing
unexamined is kept.
"""
from __future__ import annotations

from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject, NameObject, StreamObject

from complaints.jpeg2000 import strip_jpx_metadata

# Application segments kept, by marker and signature: JFIF (APP0, without its thumbnail) and
# Adobe's colour transform (APP14), which decoders need. Every other APPn (EXIF and XMP in APP1,
# IPTC in APP13, JFXX thumbnails in APP0, maker data) and comments go, and so does the ICC profile
# (APP2), which names the scanner or copier and when the profile was made: in a PDF, an image's
# colours are those of its /ColorSpace (which a JPEG image must have), not of the JPEG's profile.
_KEPT_APP = {0xE0: (b"JFIF\0",), 0xEE: (b"Adobe",)}
_JFIF_FIXED = 14  # identifier, version, units, densities, thumbnail size: then the thumbnail
_COMMENT = 0xFE
_START_OF_SCAN = 0xDA
_END_OF_IMAGE = 0xD9

def _keep_segment(marker: int, segment: bytes) -> bool:
    if marker == _COMMENT:
        return False
    if not 0xE0 <= marker <= 0xEF:
        return True  # tables, frame and restart headers: the picture itself
    payload = segment[4:]
    return any(payload.startswith(tag) for tag in _KEPT_APP.get(marker, ()))


def _without_thumbnail(segment: bytes) -> bytes:
    # A JFIF thumbnail is a small picture of the image as it was when saved, perhaps before
    # part of it was covered; the picture is kept at its declared size, the thumbnail is not.
    payload = segment[4:4 + _JFIF_FIXED - 2] + b"\0\0"
    return b"\xff\xe0" + (len(payload) + 2).to_bytes(2, "big") + payload


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
            jfif = marker == 0xE0 and end - at >= 4 + _JFIF_FIXED
            kept.append(_without_thumbnail(data[at:end]) if jfif else data[at:end])
        at = end


_CLEANERS = {"/DCTDecode": strip_jpeg_metadata, "/JPXDecode": strip_jpx_metadata}


def _last_filter(stream: StreamObject) -> object:
    # Indexing resolves an indirect /Filter (get() would not), and array items are resolved too.
    filters = stream["/Filter"] if "/Filter" in stream else None
    names = list(filters) if isinstance(filters, ArrayObject) else [filters]
    last = names[-1] if names else None
    return last.get_object() if isinstance(last, IndirectObject) else last


# An inline image (BI … ID … EI in a page's drawing instructions) names its filter in full or
# abbreviated; these two mean JPEG, which can carry EXIF and GPS there too.
_INLINE_JPEG = ("/DCT", "/DCTDecode")
_INLINE_IMAGE = b"INLINE IMAGE"  # pypdf's operator for a parsed BI … EI


def _inline_jpeg(settings: dict[str, object]) -> bool:
    filters = settings.get("/F", settings.get("/Filter"))
    names = [str(n) for n in filters] if isinstance(filters, (list, ArrayObject)) else [str(filters)]
    if not any(name in _INLINE_JPEG for name in names):
        return False
    if len(names) != 1:  # a JPEG behind another filter: not walked, so not kept
        raise ValueError("inline JPEG behind another filter")
    return True


def clean_inline_pictures(content: StreamObject) -> None:
    """Clean the inline JPEGs in a page's or form's drawing instructions, in place.

    Only a stream that names a JPEG filter is parsed: parsing every page's instructions would
    cost more than the rest of the rebuild. Raises ValueError as ``strip_jpeg_metadata`` does.
    """
    data = content.get_data()
    if b"/DCT" not in data or b"ID" not in data:
        return
    instructions = ContentStream(content, None)
    found = False
    for operands, operator in instructions.operations:
        if operator == _INLINE_IMAGE and _inline_jpeg(operands["settings"]):
            operands["data"] = strip_jpeg_metadata(operands["data"])
            found = True
    if found:
        instructions.operations = instructions.operations  # written out again from the parts
        content.set_data(instructions.get_data())  # re-encoded with the stream's own filter


def is_picture(stream: StreamObject) -> bool:
    """True when the stream's data, its other filters undone, is a JPEG or JPEG 2000 file."""
    return _last_filter(stream) in _CLEANERS


def clean_picture(stream: StreamObject) -> None:
    """Replace a JPEG or JPEG 2000 stream's data with its cleaned picture, stored under that one
    filter (with that filter's own parameters, if it had any). Raises ValueError as the cleaners do."""
    last = str(_last_filter(stream))
    filters = stream["/Filter"]
    if isinstance(filters, ArrayObject):  # pypdf's decoder does not resolve an indirect name in it
        stream[NameObject("/Filter")] = ArrayObject(name.get_object() for name in filters)
    # pypdf undoes any filters before the picture's own and hands the file over as stored.
    picture = _CLEANERS[last](stream.get_data())
    parameters = stream["/DecodeParms"] if "/DecodeParms" in stream else None
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
