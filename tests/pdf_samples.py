"""Real PDFs for upload tests, made with pypdf: one that carries its author's name everywhere a
PDF can hide it, and locked ones."""
from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

AUTHOR = "Somchai-Insider-4711"  # the canary: must not survive an upload
PAGE_TEXT = "EVIDENCE-PAGE-TEXT"


def jpeg_with_exif(size: tuple[int, int] = (24, 16)) -> bytes:
    """A JPEG carrying the author in EXIF (Artist), a GPS block and a comment segment."""
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x013B] = AUTHOR  # Artist
    exif[0x8825] = {1: "N", 2: (13.0, 45.0, 0.0), 3: "E", 4: (100.0, 30.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=AUTHOR.encode(), quality=95)
    return out.getvalue()


def _xmp() -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{AUTHOR}</dc:creator>'
                    f"<xmpMM:DocumentID>uuid:{AUTHOR}</xmpMM:DocumentID></x:xmpmeta>".encode())
    stream.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    return stream


def revealing_pdf(user_password: str | None = None, owner_password: str | None = None) -> bytes:
    """One page with text and a photo; the author's name is in the document information, the XMP,
    the page's XMP and private data, a comment's author, and the photo's EXIF and comment."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    photo = DecodedStreamObject()
    photo.set_data(jpeg_with_exif())
    photo.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
                  NameObject("/Width"): NumberObject(24), NameObject("/Height"): NumberObject(16),
                  NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
                  NameObject("/BitsPerComponent"): NumberObject(8), NameObject("/Filter"): NameObject("/DCTDecode")})
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/XObject"): DictionaryObject({NameObject("/Im1"): writer._add_object(photo)}),
        NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)}),
    })
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 12 Tf 20 150 Td ({PAGE_TEXT}) Tj ET q 24 0 0 16 20 20 cm /Im1 Do Q".encode())
    page[NameObject("/Contents")] = writer._add_object(content)
    page[NameObject("/Metadata")] = writer._add_object(_xmp())
    page[NameObject("/PieceInfo")] = DictionaryObject({NameObject("/Word"): DictionaryObject({
        NameObject("/Private"): TextStringObject(AUTHOR)})})
    comment = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Text"),
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 30, 30)]),
        NameObject("/T"): TextStringObject(AUTHOR), NameObject("/Contents"): TextStringObject("see page 2"),
    })
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(comment)])
    writer.add_metadata({"/Author": AUTHOR, "/Creator": f"Word ({AUTHOR})", "/Title": "report"})
    writer.root_object[NameObject("/Metadata")] = writer._add_object(_xmp())
    if user_password is not None or owner_password is not None:
        writer.encrypt(user_password or "", owner_password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pdf() -> bytes:
    """The smallest real PDF: one empty page."""
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_of_many_objects(count: int) -> bytes:
    """One page referring to ``count`` tiny objects: small on disk, costly to rebuild."""
    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    for start in range(0, count, 5000):  # pypdf refuses arrays far longer than this
        page[NameObject(f"/Junk{start}")] = ArrayObject(
            writer._add_object(DictionaryObject({NameObject("/K"): NumberObject(i)}))
            for i in range(start, min(count, start + 5000)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
