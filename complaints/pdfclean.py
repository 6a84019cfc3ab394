"""Rewrite an uploaded PDF without the metadata that names the person who made it.

A report typed in an office suite and saved as PDF carries the author's login name, the software,
the dates and a file identifier in its document information and XMP metadata; comments carry their
author; a scan made with a phone app embeds JPEGs with EXIF and GPS. For an official reporting on
their own superior, any of these can give them away (domain rule R20: strip document metadata).

The PDF is rebuilt page by page with pypdf, so the document-level information, XMP, file identifier,
earlier revisions (incremental saves), attached files and document JavaScript are not carried
over. In what is carried over, XMP and private application data are removed from every object,
comment authors from every markup annotation, files from attachment annotations, and from every
embedded JPEG whatever is not the picture (EXIF, XMP, IPTC, comments, frames appended after its
end), losslessly: the compressed picture is kept as it is.
"""
from __future__ import annotations

import io
from collections.abc import Iterable

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject, StreamObject

# A 300-page scan has about a thousand objects and a long office report a few thousand. Rebuilding
# costs about 50 µs and 3 KB of memory per object, so a file crafted from tiny objects (a 10 MB
# one can hold 200,000: 10 s and 600 MB) is refused before the rebuild; this bounds one upload at
# about a second and 60 MB.
MAX_OBJECTS = 20_000
# Keys removed from every dictionary: XMP streams, applications' private data, and the files,
# sounds and media that annotations can carry (a "file attachment" comment keeps the attached
# file, its path on the author's computer and its dates).
_METADATA_KEYS = ("/Metadata", "/PieceInfo", "/LastModified", "/FS", "/EF", "/Sound", "/Movie",
                  "/RichMediaContent")
# In markup annotations (comments, highlights) /T is the author's name; in form widgets it is the
# field's name, and links have none, so those keep it.
_KEEP_TITLE = ("/Widget", "/Link")
# Application segments kept, by marker and signature: JFIF (APP0), the ICC colour profile (APP2)
# and Adobe's colour transform (APP14), which decoders need. Every other APPn (EXIF and XMP in
# APP1, IPTC in APP13, maker data) and comments (COM) go.
_KEPT_APP = {0xE0: (b"JFIF\0", b"JFXX\0"), 0xE2: (b"ICC_PROFILE\0",), 0xEE: (b"Adobe",)}
_COMMENT = 0xFE
_START_OF_SCAN = 0xDA
_END_OF_IMAGE = 0xD9


class PdfUnreadable(ValueError):
    """The upload starts like a PDF but cannot be rebuilt; ``reason`` says why, for the message:
    "damaged", "locked" (needs a password to open) or "complex" (more than MAX_OBJECTS objects,
    or more time or memory than ``pdfsandbox.Limits`` allow)."""

    def __init__(self, reason: str = "damaged") -> None:
        super().__init__(reason)
        self.reason = reason


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


def _ends_in_jpeg(stream: StreamObject) -> bool:
    filters = stream.get("/Filter")
    names = list(filters) if isinstance(filters, ArrayObject) else [filters]
    return bool(names) and names[-1] == "/DCTDecode"


def _clean_jpeg_stream(stream: StreamObject) -> None:
    # pypdf undoes any filters before /DCTDecode and hands the JPEG over as stored; the cleaned
    # JPEG is stored as plain /DCTDecode, with that filter's own parameters if it had any.
    jpeg = strip_jpeg_metadata(stream.get_data())
    parameters = stream.get("/DecodeParms")
    if isinstance(parameters, ArrayObject):
        last = parameters[-1] if len(parameters) else None
        if isinstance(last, (DictionaryObject, IndirectObject)):
            stream[NameObject("/DecodeParms")] = last
        else:
            stream.pop("/DecodeParms", None)
    stream[NameObject("/Filter")] = NameObject("/DCTDecode")
    # Only the base class's set_data stores bytes as given; the encoded-stream subclass would
    # try to re-encode them with the stream's filter.
    StreamObject.set_data(stream, jpeg)


def _scrub(roots: Iterable[PdfObject]) -> None:
    """Remove metadata from every object reachable from ``roots`` (each visited once)."""
    seen: set[tuple[int, int]] = set()
    pending: list[PdfObject] = list(roots)
    item: PdfObject | None
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key in _METADATA_KEYS:
                item.pop(key, None)
            if "/Rect" in item and item.get("/Subtype") not in _KEEP_TITLE:
                item.pop("/T", None)
            if isinstance(item, StreamObject) and _ends_in_jpeg(item):
                _clean_jpeg_stream(item)
            pending.extend(item.values())  # /Parent too: a comment may be reachable only from its popup
        elif isinstance(item, ArrayObject):
            pending.extend(item)


def strip_pdf(data: bytes) -> bytes:
    """The pages of the PDF ``data`` rebuilt without metadata.

    Raises PdfUnreadable when pypdf cannot read the file, it needs a password to open (a PDF
    locked only against editing or printing opens with the empty password and is accepted), or
    it has more than MAX_OBJECTS objects. Hostile input can still make this slow or large:
    ``pdfsandbox.clean_pdf`` runs it in a limited process, and the web app only calls it so.
    """
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfUnreadable("locked")
        # The cross-reference table lists every object and is read already; nothing else is yet.
        if sum(len(numbers) for numbers in reader.xref.values()) + len(reader.xref_objStm) > MAX_OBJECTS:
            raise PdfUnreadable("complex")
        if len(reader.pages) == 0:
            raise PdfUnreadable()
        pages = list(reader.pages)
        # Scrubbed before they are copied: copying a page takes what it still refers to, so what
        # the scrub cut off (an attached file, a page's XMP) is never copied at all.
        _scrub(pages)
        writer = PdfWriter()
        for page in pages:
            writer.add_page(page)
        writer.metadata = None
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except PdfUnreadable:
        raise
    except MemoryError as exc:
        raise PdfUnreadable("complex") from exc
    except Exception as exc:  # noqa: BLE001 - pypdf fails on bad input with many types, and
        # with NotImplementedError for encryption it does not know (certificate security).
        raise PdfUnreadable("locked" if isinstance(exc, NotImplementedError) else "damaged") from exc
