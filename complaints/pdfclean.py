"""Rewrite an uploaded PDF without the metadata that names the person who made it.

A report typed in an office suite and saved as PDF carries the author's login name, the software,
the dates and a file identifier in its document information and XMP metadata; comments carry their
author; a scan made with a phone app embeds JPEGs with EXIF and GPS. For an official reporting on
their own superior, any of these can give them away (domain rule R20: strip document metadata).

The PDF is rebuilt page by page with pypdf, so the document-level information, XMP, file identifier,
earlier revisions (incremental saves), attached files and document JavaScript are not carried
over. In what is carried over, XMP and private application data are removed from every object,
comment authors from every markup annotation, and EXIF, XMP, IPTC and comment segments from every
embedded JPEG, losslessly (the picture's own bytes are kept as they are).
"""
from __future__ import annotations

import tempfile
from typing import BinaryIO, cast

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject, StreamObject

SPOOL_MAX = 1024 * 1024
# A 300-page scan has about a thousand objects and a long office report a few thousand. Rebuilding
# costs about 50 µs and 3 KB of memory per object, so a file crafted from tiny objects (a 10 MB
# one can hold 200,000: 10 s and 600 MB) is refused before the rebuild; this bounds one upload at
# about a second and 60 MB.
MAX_OBJECTS = 20_000
# Keys that hold metadata in any dictionary: XMP streams and applications' private data.
_METADATA_KEYS = ("/Metadata", "/PieceInfo", "/LastModified")
# In markup annotations (comments, highlights) /T is the author's name; in form widgets it is the
# field's name, and links have none, so those keep it.
_KEEP_TITLE = ("/Widget", "/Link")
# JPEG segments kept: JFIF (APP0), ICC colour profile (APP2), Adobe colour transform (APP14).
# Every other APPn (EXIF and XMP in APP1, IPTC in APP13, maker data) and comments (COM) go.
_KEEP_APP = {0xE0, 0xE2, 0xEE}
_COMMENT = 0xFE
_START_OF_SCAN = 0xDA


class PdfUnreadable(ValueError):
    """The upload starts like a PDF but cannot be rebuilt; ``reason`` says why, for the message:
    "damaged", "locked" (needs a password to open) or "complex" (more than MAX_OBJECTS objects)."""

    def __init__(self, reason: str = "damaged") -> None:
        super().__init__(reason)
        self.reason = reason


def strip_jpeg_metadata(data: bytes) -> bytes:
    """``data`` without the JPEG segments that carry metadata, or unchanged if it is not a JPEG
    whose header can be walked; the compressed picture after start-of-scan is copied as is."""
    if not data.startswith(b"\xff\xd8"):
        return data
    kept = [b"\xff\xd8"]
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return data
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        if marker == _START_OF_SCAN:
            kept.append(data[at:])
            return b"".join(kept)
        end = at + 2 + int.from_bytes(data[at + 2:at + 4], "big")
        if end > len(data):
            return data
        if not ((0xE0 <= marker <= 0xEF and marker not in _KEEP_APP) or marker == _COMMENT):
            kept.append(data[at:end])
        at = end
    return data


def _is_jpeg_stream(stream: StreamObject) -> bool:
    filters = stream.get("/Filter")
    return filters == "/DCTDecode" or (isinstance(filters, ArrayObject) and list(filters) == ["/DCTDecode"])


def _scrub(root: PdfObject) -> None:
    """Remove metadata from every object reachable from ``root`` (each visited once)."""
    seen: set[tuple[int, int]] = set()
    pending: list[PdfObject] = [root]
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
            if isinstance(item, StreamObject) and _is_jpeg_stream(item):
                # Only the base class's set_data stores bytes as given; the encoded-stream
                # subclass would try to re-encode them with the stream's filter.
                StreamObject.set_data(item, strip_jpeg_metadata(item._data))
            pending.extend(value for key, value in item.items() if key != "/Parent")
        elif isinstance(item, ArrayObject):
            pending.extend(item)


def strip_pdf(source: BinaryIO) -> BinaryIO:
    """A new spooled file holding the pages of ``source`` without metadata, positioned at 0.

    Raises PdfUnreadable when pypdf cannot read the file, it needs a password to open (a PDF
    locked only against editing or printing opens with the empty password and is accepted), or
    it has more than MAX_OBJECTS objects.
    """
    try:
        reader = PdfReader(source, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfUnreadable("locked")
        # The cross-reference table lists every object and is read already; nothing else is yet.
        if sum(len(numbers) for numbers in reader.xref.values()) + len(reader.xref_objStm) > MAX_OBJECTS:
            raise PdfUnreadable("complex")
        if len(reader.pages) == 0:
            raise PdfUnreadable()
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        writer.metadata = None
        _scrub(writer.root_object)
        # Objects the scrub cut loose (a page's XMP, say) would otherwise still be written out.
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        out = cast(BinaryIO, tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX))  # noqa: SIM115
        try:
            writer.write(out)
        except BaseException:
            out.close()
            raise
    except (PyPdfError, ValueError, TypeError, KeyError, IndexError, AttributeError,
            RecursionError, OSError) as exc:
        # pypdf reports malformed input through many exception types, as Pillow does.
        if isinstance(exc, PdfUnreadable):
            raise
        raise PdfUnreadable() from exc
    out.seek(0)
    return out
