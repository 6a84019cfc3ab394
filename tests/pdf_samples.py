"""Real PDFs for upload tests, made with pypdf: one that carries its author's name everywhere a
PDF can hide it, and locked ones."""
from __future__ import annotations

import io
import zlib
from typing import Any

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
COMMENT_DATE = "D:20261120223000+07'00'"  # when and where (time zone) the author was at work


def rect(*values: float) -> ArrayObject:
    """A PDF rectangle or number array."""
    return ArrayObject([FloatObject(v) for v in values])


def jpeg_with_exif(size: tuple[int, int] = (24, 16)) -> bytes:
    """A JPEG carrying the author in EXIF (Artist), a GPS block and a comment segment."""
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x013B] = AUTHOR  # Artist
    exif[0x8825] = {1: "N", 2: (13.0, 45.0, 0.0), 3: "E", 4: (100.0, 30.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=AUTHOR.encode(), quality=95)
    return out.getvalue()


def jpx_with_metadata(codestream_only: bool = False) -> bytes:
    """A JPEG 2000 picture whose codestream comment names the author; as a JP2 file it also has
    an XMP box and a UUID box naming them, the UUID box written with a 64-bit length."""
    image = Image.new("RGB", (24, 16), (30, 90, 200))
    out = io.BytesIO()
    image.save(out, "JPEG2000", no_jp2=codestream_only, comment=f"scanned by {AUTHOR}".encode())
    data = out.getvalue()
    if codestream_only:
        return data
    codestream_at = data.index(b"jp2c") - 4
    xml = f"<x:xmpmeta><dc:creator>{AUTHOR}</dc:creator></x:xmpmeta>".encode()
    extras = (len(xml) + 8).to_bytes(4, "big") + b"xml " + xml
    uuid = b"\xbe\x7a\xcf\xcb\x97\xa9\x42\xe8\x9c\x71\x99\x94\x91\xe3\xaf\xac" + AUTHOR.encode()
    extras += (1).to_bytes(4, "big") + b"uuid" + (len(uuid) + 16).to_bytes(8, "big") + uuid
    return data[:codestream_at] + extras + data[codestream_at:]


def _xmp() -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{AUTHOR}</dc:creator>'
                    f"<xmpMM:DocumentID>uuid:{AUTHOR}</xmpMM:DocumentID></x:xmpmeta>".encode())
    stream.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    return stream


def photo_stream(data: bytes, filters: Any) -> DecodedStreamObject:
    """A 24 × 16 image XObject holding ``data`` under ``filters``."""
    photo = DecodedStreamObject()
    photo.set_data(data)
    photo.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
                  NameObject("/Width"): NumberObject(24), NameObject("/Height"): NumberObject(16),
                  NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
                  NameObject("/BitsPerComponent"): NumberObject(8), NameObject("/Filter"): filters})
    return photo


def _attachment(writer: PdfWriter) -> DictionaryObject:
    """A "file attachment" comment: the file, its path on the author's computer, its date."""
    embedded = DecodedStreamObject()
    embedded.set_data(f"memo.docx by {AUTHOR}".encode())
    embedded.update({NameObject("/Type"): NameObject("/EmbeddedFile")})
    spec = DictionaryObject({
        NameObject("/Type"): NameObject("/Filespec"), NameObject("/F"): TextStringObject(f"C:\\Users\\{AUTHOR}\\memo.docx"),
        NameObject("/EF"): DictionaryObject({NameObject("/F"): writer._add_object(embedded)}),
    })
    return DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/FileAttachment"),
        NameObject("/Rect"): rect(40, 10, 60, 30),
        NameObject("/FS"): writer._add_object(spec),
    })


def revealing_pdf(user_password: str | None = None, owner_password: str | None = None) -> bytes:
    """One page with text, two JPEG and two JPEG 2000 photos. The author's name is in the
    document information, the XMP, the page's XMP and private data, a comment's author and name
    (one comment reachable only from its popup), an attached file and its path, the JPEGs' EXIF,
    comment and appended trailer (one JPEG stored plainly, one behind a Flate filter), and the
    JPEG 2000 comment, XMP and UUID boxes. ``pdf_structure_samples`` has links, scripts and the
    rest."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    trailing = jpeg_with_exif() + f"second frame by {AUTHOR}".encode()
    photo = photo_stream(trailing, NameObject("/DCTDecode"))
    flated = photo_stream(b"", ArrayObject([NameObject("/FlateDecode"), NameObject("/DCTDecode")]))
    flated.set_data(zlib.compress(trailing))
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/XObject"): DictionaryObject({
            NameObject("/Im1"): writer._add_object(photo), NameObject("/Im2"): writer._add_object(flated),
            NameObject("/Im3"): writer._add_object(photo_stream(jpx_with_metadata(), NameObject("/JPXDecode"))),
            NameObject("/Im4"): writer._add_object(photo_stream(jpx_with_metadata(True), NameObject("/JPXDecode")))}),
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
        NameObject("/Rect"): rect(10, 10, 30, 30),
        NameObject("/T"): TextStringObject(AUTHOR), NameObject("/Contents"): TextStringObject("see page 2"),
        NameObject("/NM"): TextStringObject(f"{AUTHOR}-5f2c"), NameObject("/M"): TextStringObject(COMMENT_DATE),
        NameObject("/CreationDate"): TextStringObject(COMMENT_DATE),
    })
    hidden_comment = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Text"),
        NameObject("/Rect"): rect(0, 0, 5, 5), NameObject("/T"): TextStringObject(AUTHOR)}))
    popup = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Popup"),
        NameObject("/Rect"): rect(0, 0, 5, 5), NameObject("/Parent"): hidden_comment})
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(comment), writer._add_object(_attachment(writer)),
                                               writer._add_object(popup)])
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


def _handmade(objects: dict[int, bytes], trailer: bytes = b"", listed: set[int] | None = None,
              padding: int = 0) -> bytes:
    """A PDF written byte by byte; ``listed`` limits which objects the xref table admits to."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%" + b"0" * padding + b"\n")
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    shown = sorted(listed if listed is not None else offsets)
    start = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (shown[-1] + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, shown[-1] + 1)))
    out.write(b"trailer <</Size %d/Root 1 0 R%s>>\nstartxref\n%d\n%%%%EOF\n" % (shown[-1] + 1, trailer, start))
    return out.getvalue()


_PAGE = {1: b"<</Type/Catalog/Pages 2 0 R>>", 2: b"<</Type/Pages/Kids[3 0 R]/Count 1>>"}


def certificate_locked_pdf() -> bytes:
    """Encrypted for certificate holders (Adobe.PubSec), which pypdf cannot open."""
    return _handmade({**_PAGE, 3: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>",
                      4: b"<</Filter/Adobe.PubSec/V 4/R 4>>"}, trailer=b"/Encrypt 4 0 R/ID[<00><00>]")


SIGNING_DATE = "D:20261121071500+07'00'"


def stray_signature_pdf() -> bytes:
    """A signature value that no signature field holds, referred to from a page; the signer is
    in each of its entries that can name them, and the signing date in /M."""
    named = b"".join(b"/%s(%s)" % (key, AUTHOR.encode()) for key in (b"Name", b"Reason", b"Location", b"ContactInfo"))
    signature = b"<</Type/Sig/ByteRange[0 1 2 3]%s/M(%s)/Contents<%s>/Cert(%s)/Prop_Build<</App<</Name/%s>>>>>>" % (
        named, SIGNING_DATE.encode(), AUTHOR.encode().hex().encode(), AUTHOR.encode(), AUTHOR.encode())
    return _handmade({**_PAGE, 3: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Junk 4 0 R>>", 4: signature})


def pdf_hiding_objects(count: int) -> bytes:
    """A page referring to ``count`` objects the xref table leaves out: pypdf searches the whole
    file for each, so a small file costs seconds to minutes."""
    refs = b" ".join(b"%d 0 R" % n for n in range(4, 4 + count))
    objects = {**_PAGE, 3: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Junk[" + refs + b"]>>"}
    objects.update({n: b"<<>>" for n in range(4, 4 + count)})
    return _handmade(objects, listed={1, 2, 3})


def pdf_inflating_to(size: int) -> bytes:
    """A page whose one other object sits in an object stream of ``size`` bytes once inflated
    (mostly blanks, so the file stays a few kilobytes): reading it takes that much memory."""
    header = b"4 0 "
    packed = zlib.compress(header + b"<</Filler[" + b" " * size + b"]>>", 9)
    stream = b"<</Type/ObjStm/N 1/First %d/Filter/FlateDecode/Length %d>>stream\n" % (len(header), len(packed))
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = {}
    for number, body in {**_PAGE, 3: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Junk 4 0 R>>",
                         5: stream + packed + b"\nendstream"}.items():
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref_at = out.tell()
    rows = [(0, 0, 65535), *((1, offsets[n], 0) for n in (1, 2, 3)), (2, 5, 0), (1, offsets[5], 0), (1, xref_at, 0)]
    table = b"".join(bytes([kind]) + a.to_bytes(4, "big") + b.to_bytes(2, "big") for kind, a, b in rows)
    out.write(b"6 0 obj\n<</Type/XRef/Size 7/W[1 4 2]/Root 1 0 R/Length %d>>stream\n" % len(table) + table
              + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at)
    return out.getvalue()
