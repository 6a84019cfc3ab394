"""Rewrite an uploaded PDF without the metadata that names the person who made it.

A report typed in an office suite and saved as PDF carries the author's login name, the software,
the dates and a file identifier in its document information and XMP metadata; comments carry their
author; a scan made with a phone app embeds JPEGs with EXIF and GPS. For an official reporting on
their own superior, any of these can give them away (domain rule R20: strip document metadata).

The PDF is rebuilt page by page with pypdf, so the document-level information, XMP, file identifier,
earlier revisions (incremental saves), attached files and document JavaScript are not carried
over. In what is carried over, every object loses XMP, private application data, page thumbnails
(which can show a page as it was before it was blacked out), article threads and triggered
actions; figures lose the names of their source files and their typesetting records; comments
lose their author, name and dates, attachment comments their file, signature fields the signer's
name and certificate; form fields and comments never shown on screen go, and layers lose their
names; links keep only in-document, mail and public web targets (``links``: not
``file:`` paths, the author's OneDrive or office network, programs to launch or JavaScript);
embedded JPEG and JPEG 2000 pictures, and JPEGs drawn inline in a page or form, keep only the
picture (``pdfimages``), losslessly; ICC colour profiles, which name the scanner or copier, give
way to device colour spaces (``pdfcolour``).
"""
from __future__ import annotations

import io
from collections.abc import Iterable

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

from complaints.links import public_address
from complaints.pdfcolour import replace_profiles
from complaints.pdfimages import clean_inline_pictures, clean_picture, is_picture

# A 300-page scan has about a thousand objects and a long office report a few thousand. Rebuilding
# costs about 50 µs and 3 KB of memory per object, so a file crafted from tiny objects (a 10 MB
# one can hold 200,000: 10 s and 600 MB) is refused before the rebuild; this bounds one upload at
# about a second and 60 MB.
MAX_OBJECTS = 20_000
# Keys removed from every dictionary: XMP streams, applications' private data, page thumbnails,
# the files, sounds, media and 3D scenes that annotations can carry (a "file attachment" comment
# keeps the attached file, its path on the author's computer and its dates), actions triggered
# by opening a page or touching a field (/AA) and a link's earlier target (/PA), which run
# JavaScript or open files; a figure's reference to its source file (/Ref, /OPI), a layer's
# intended user (/Usage) and a page's output intents, whose printer profile names the device as
# an ICC colour space's does (``pdfcolour``; the document's own are left behind with the catalog).
_METADATA_KEYS = ("/Metadata", "/PieceInfo", "/LastModified", "/Thumb", "/FS", "/EF", "/Sound", "/Movie",
                  "/RichMediaContent", "/3DD", "/AA", "/PA", "/Ref", "/OPI", "/Usage", "/OutputIntents")
# pdfTeX's record of an included figure: its file name on the author's computer and its own
# document information (/PTEX.FileName, /PTEX.InfoDict, …).
_TYPESETTER_PREFIX = "/PTEX."
# An annotation's unique name (often a GUID made on the author's computer) and its dates, which
# carry the author's time zone and working hours.
_ANNOTATION_STAMPS = ("/NM", "/M", "/CreationDate")
# In markup annotations (comments, highlights) /T is the author's name; in form widgets it is the
# field's name, and links have none, so those keep it.
_KEEP_TITLE = ("/Widget", "/Link")
# What a signature value says of its signer. The rebuild changes every byte the signature covers,
# so it could no longer be verified anyway; what the signature looks like on the page stays.
_SIGNATURE_KEYS = ("/Contents", "/Cert", "/Name", "/Location", "/Reason", "/ContactInfo", "/M",
                   "/Prop_Build", "/Prop_AuthTime", "/Prop_AuthType")
# Annotation flags Hidden and NoView (ISO 32000-1, 12.5.3): such an annotation is never shown on
# screen, so its author never saw what it holds, such as a form field a script filled with the
# user's login or a comment hidden instead of deleted. It is dropped from its page; if a shown
# one still reaches it (a field's other widget, a popup), it keeps neither value nor contents.
_NEVER_SHOWN = 2 | 32
_UNSHOWN_CONTENT = ("/V", "/DV", "/RV", "/AP", "/Contents", "/RC")
# A layer's name appears nowhere once the rebuild has left the document's layer list behind, and
# drawing programs name layers after whoever drew them.
_LAYER_NAME = TextStringObject("Layer")
# Link actions kept: a jump within the document, a page command (next page), and a web or mail
# address. Every other kind opens another file (its path names the author's folders), launches a
# program, submits or imports data, runs JavaScript or plays media.
_KEPT_ACTIONS = ("/GoTo", "/Named", "/URI")


class PdfUnreadable(ValueError):
    """The upload starts like a PDF but cannot be rebuilt; ``reason`` says why, for the message:
    "damaged", "locked" (needs a password to open) or "complex" (more than MAX_OBJECTS objects,
    or more time or memory than ``sandbox.Limits`` allow)."""

    def __init__(self, reason: str = "damaged") -> None:
        super().__init__(reason)
        self.reason = reason


def _text(value: PdfObject | None) -> str:
    # /URI is a byte string; a text string is accepted too, as readers do.
    return value.decode("latin-1") if isinstance(value, bytes) else str(value or "")


def _kept_action(action: PdfObject | None) -> bool:
    """True for an action that only moves within the document or opens a public web or a mail
    address."""
    action = action.get_object() if isinstance(action, IndirectObject) else action
    if not isinstance(action, DictionaryObject) or action.get("/S") not in _KEPT_ACTIONS:
        return False
    return action["/S"] != "/URI" or public_address(_text(action.get("/URI")))


def _never_shown(annotation: PdfObject | None) -> bool:
    annotation = annotation.get_object() if isinstance(annotation, IndirectObject) else annotation
    flags = annotation.get("/F") if isinstance(annotation, DictionaryObject) else None
    return isinstance(flags, int) and bool(flags & _NEVER_SHOWN)  # elsewhere /F is a file: a string


def _drop_unshown_annotations(page: DictionaryObject) -> None:
    annotations = page.get("/Annots")
    annotations = annotations.get_object() if isinstance(annotations, IndirectObject) else annotations
    if isinstance(annotations, ArrayObject):
        page[NameObject("/Annots")] = ArrayObject(a for a in annotations if not _never_shown(a))


def _contents(page: DictionaryObject) -> list[StreamObject]:
    contents = page.get("/Contents")
    contents = contents.get_object() if isinstance(contents, IndirectObject) else contents
    parts = list(contents) if isinstance(contents, ArrayObject) else [contents]
    resolved = [p.get_object() if isinstance(p, IndirectObject) else p for p in parts]
    return [p for p in resolved if isinstance(p, StreamObject)]


def _scrub_dictionary(item: DictionaryObject) -> None:
    for key in _METADATA_KEYS:
        item.pop(key, None)
    for key in [k for k in item if k.startswith(_TYPESETTER_PREFIX)]:
        del item[key]
    if item.get("/Type") == "/Page":
        item.pop("/B", None)  # article beads, whose thread carries its own author and dates
        _drop_unshown_annotations(item)
        for content in _contents(item):
            clean_inline_pictures(content)
    if item.get("/Type") == "/OCG":
        item[NameObject("/Name")] = _LAYER_NAME
    if isinstance(item.get("/A"), (DictionaryObject, IndirectObject)) and not _kept_action(item["/A"]):
        del item["/A"]  # an action (elsewhere /A may be a number or an array, which stay)
    if "/S" in item:
        item.pop("/Next", None)  # an action's follow-ups would need the same check; they go
    if "/Rect" in item:  # an annotation
        for key in _ANNOTATION_STAMPS:
            item.pop(key, None)
        if item.get("/Subtype") not in _KEEP_TITLE:
            item.pop("/T", None)
        if _never_shown(item):
            for key in _UNSHOWN_CONTENT:
                item.pop(key, None)
    if item.get("/FT") == "/Sig":
        item.pop("/V", None)
    if "/ByteRange" in item:  # a signature value reachable some other way
        for key in _SIGNATURE_KEYS:
            item.pop(key, None)
    if isinstance(item, StreamObject) and is_picture(item):
        clean_picture(item)
    elif isinstance(item, StreamObject) and item.get("/Subtype") == "/Form":
        clean_inline_pictures(item)  # a form's drawing instructions, as a page's


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
            _scrub_dictionary(item)
            replace_profiles(item)  # before going on, so the ICC profiles are never reached
            if isinstance(item, StreamObject):
                # pypdf keeps a decoded copy of a stream read above, with its dictionary as it was
                # then, and the rebuild copies what that copy refers to (an ICC profile since replaced).
                item.decoded_self = None
            pending.extend(item.values())  # /Parent too: a comment may be reachable only from its popup
        elif isinstance(item, ArrayObject):
            replace_profiles(item)
            pending.extend(item)


def strip_pdf(data: bytes) -> bytes:
    """The pages of the PDF ``data`` rebuilt without metadata.

    Raises PdfUnreadable when pypdf cannot read the file, it needs a password to open (a PDF
    locked only against editing or printing opens with the empty password and is accepted), or
    it has more than MAX_OBJECTS objects. Hostile input can still make this slow or large:
    ``sandbox.clean_pdf`` runs it in a limited process, and the web app only calls it so.
    """
    reader: PdfReader | None = None
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
        # with NotImplementedError for encryption it does not know (certificate security), and
        # for filters it does not know, which make a file damaged, not locked.
        locked = isinstance(exc, NotImplementedError) and (reader is None or reader.is_encrypted)
        raise PdfUnreadable("locked" if locked else "damaged") from exc
