"""Pictures and PDFs whose ICC colour profiles name the office copier that scanned them, and
say when their profile was made; built with Pillow and pypdf."""
from __future__ import annotations

import io
import zlib
from typing import Any

from PIL import Image, ImageCms
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
)

from tests.pdf_samples import PAGE_TEXT, photo_stream, rect

DEVICE = "Canon-iR-ADV-C5535-LEGAL-3F"  # the canary: must not survive an upload
# The profile header's creation date (ICC dateTimeNumber): 2025-11-20 22:30:00.
PROFILE_MADE = b"".join(n.to_bytes(2, "big") for n in (2025, 11, 20, 22, 30, 0))


def traces(data: bytes) -> list[str]:
    """What of the profile ``data`` still holds: the device (as ASCII or UTF-16) and the date."""
    found = {"device": DEVICE.encode() in data, "device (UTF-16)": DEVICE.encode("utf-16-be") in data,
             "creation date": PROFILE_MADE in data}
    return [what for what, present in found.items() if present]


def _box(kind: bytes, body: bytes) -> bytes:
    return (len(body) + 8).to_bytes(4, "big") + kind + body


def icc_profile() -> bytes:
    """Pillow's sRGB profile as a copier's driver would label it: the copier in its description
    (an ASCII textDescription, as version 2 profiles have) and a fixed creation date."""
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[24:36] = PROFILE_MADE
    text = DEVICE.encode() + b"\0"
    description = b"desc" + bytes(4) + len(text).to_bytes(4, "big") + text + bytes(8 + 3 + 67)
    data += bytes(-len(data) % 4)
    tags = {bytes(data[132 + 12 * i:136 + 12 * i]): 132 + 12 * i for i in range(int.from_bytes(data[128:132], "big"))}
    data[tags[b"desc"] + 4:tags[b"desc"] + 12] = len(data).to_bytes(4, "big") + len(description).to_bytes(4, "big")
    data += description
    data[0:4] = len(data).to_bytes(4, "big")
    return bytes(data)


def gradient(size: tuple[int, int] = (24, 16)) -> Image.Image:
    """A picture whose every pixel differs, so a changed colour shows."""
    width, height = size
    return Image.frombytes("RGB", size, bytes(v for y in range(height) for x in range(width)
                                              for v in (x * 10, y * 15, 255 - x * 5)))


def encoded(fmt: str, profile: bytes | None = None, image: Image.Image | None = None) -> bytes:
    """``image`` (the gradient) saved by Pillow as ``fmt``, with ``profile`` embedded if given."""
    out = io.BytesIO()
    (image or gradient()).save(out, fmt, **({"icc_profile": profile} if profile else {}))
    return out.getvalue()


def jp2_with_profile() -> bytes:
    """A JP2 file whose colour box embeds the profile (restricted ICC, method 2)."""
    data = encoded("JPEG2000")
    header_at = data.index(b"jp2h") - 4
    header_end = header_at + int.from_bytes(data[header_at:header_at + 4], "big")
    colour_at = data.index(b"colr", header_at) - 4
    colour_end = colour_at + int.from_bytes(data[colour_at:colour_at + 4], "big")
    colour = _box(b"colr", b"\x02\x00\x00" + icc_profile())  # method 2, precedence and approximation 0
    header = data[header_at + 8:colour_at] + colour + data[colour_end:header_end]
    return data[:header_at] + _box(b"jp2h", header) + data[header_end:]


def _iccbased(writer: PdfWriter, components: int | None, alternate: str | None = None) -> ArrayObject:
    """An ICC-based colour space with its own copy of the profile (so any one kept shows), the RGB
    one whatever ``components`` says: the cleaner reads only /N, /Alternate and the header."""
    profile = DecodedStreamObject()
    profile.set_data(icc_profile())
    if components is not None:
        profile[NameObject("/N")] = NumberObject(components)
    if alternate is not None:
        profile[NameObject("/Alternate")] = NameObject(alternate)
    return ArrayObject([NameObject("/ICCBased"), writer._add_object(profile.flate_encode())])


def _image(writer: PdfWriter, data: bytes, filters: str, space: Any) -> Any:
    stream = photo_stream(data, NameObject(filters))
    stream[NameObject("/ColorSpace")] = space
    return writer._add_object(stream)


def _form(writer: PdfWriter) -> Any:
    """A form drawing in a named space of its own resources, in a transparency group."""
    form = DecodedStreamObject()
    form.set_data(b"/CS0 cs 0.9 0.1 0.1 sc 0 0 40 40 re f")
    form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                 NameObject("/BBox"): rect(0, 0, 40, 40),
                 NameObject("/Group"): DictionaryObject({NameObject("/S"): NameObject("/Transparency"),
                                                         NameObject("/CS"): _iccbased(writer, 3)}),
                 NameObject("/Resources"): DictionaryObject({NameObject("/ColorSpace"): DictionaryObject(
                     {NameObject("/CS0"): _iccbased(writer, 3)})})})
    return writer._add_object(form)


def _output_intent(writer: PdfWriter) -> ArrayObject:
    profile = DecodedStreamObject()
    profile.set_data(icc_profile())
    profile[NameObject("/N")] = NumberObject(3)
    return ArrayObject([DictionaryObject({
        NameObject("/Type"): NameObject("/OutputIntent"), NameObject("/S"): NameObject("/GTS_PDFA1"),
        NameObject("/DestOutputProfile"): writer._add_object(profile)})])


def pdf_with_profiles() -> bytes:
    """One page whose colours are ICC-based everywhere a colour space can be: named in the page's
    resources (one given by reference, one with no /N, one the alternate of a spot colour), as
    /DefaultRGB, the page's transparency group, a form's resources and group, the space of raw
    image (/Im1), the base of an indexed one (/Im2), and the space of a JPEG (/Im3) and a JPEG 2000
    image (/Im4) that embed the profile themselves; and in the page's and document's output
    intents. ``spaces_after`` says what each becomes."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    tint = DictionaryObject({NameObject("/FunctionType"): NumberObject(2), NameObject("/Domain"): rect(0, 1),
                             NameObject("/C0"): rect(0, 0, 0, 0), NameObject("/C1"): rect(0, 0.8, 0.9, 0),
                             NameObject("/N"): NumberObject(1)})
    palette = ByteStringObject(bytes([200, 30, 30, 20, 20, 220]))
    indices = zlib.compress(bytes((x + y) % 2 for y in range(16) for x in range(24)))
    raw = photo_stream(zlib.compress(gradient().tobytes()), NameObject("/FlateDecode"))
    raw[NameObject("/ColorSpace")] = _iccbased(writer, 3, "/DeviceRGB")
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/ColorSpace"): DictionaryObject({
            NameObject("/CS0"): _iccbased(writer, 3),
            NameObject("/CS1"): writer._add_object(_iccbased(writer, None, "/DeviceGray")),
            NameObject("/Spot"): ArrayObject([NameObject("/Separation"), NameObject("/Stamp"),
                                              _iccbased(writer, 4, "/DeviceCMYK"), tint]),
            NameObject("/DefaultRGB"): _iccbased(writer, 3)}),
        NameObject("/XObject"): DictionaryObject({
            NameObject("/Im1"): writer._add_object(raw),
            NameObject("/Im2"): _image(writer, indices, "/FlateDecode", ArrayObject(
                [NameObject("/Indexed"), _iccbased(writer, 3), NumberObject(1), palette])),
            NameObject("/Im3"): _image(writer, encoded("JPEG", icc_profile()), "/DCTDecode", _iccbased(writer, 3)),
            NameObject("/Im4"): _image(writer, jp2_with_profile(), "/JPXDecode", _iccbased(writer, 3)),
            NameObject("/Fm1"): _form(writer)}),
        NameObject("/Font"): DictionaryObject({NameObject("/F1"): DictionaryObject({
            NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica")})}),
    })
    page[NameObject("/Group")] = DictionaryObject({NameObject("/S"): NameObject("/Transparency"),
                                                   NameObject("/CS"): _iccbased(writer, 3)})
    page[NameObject("/OutputIntents")] = _output_intent(writer)
    writer.root_object[NameObject("/OutputIntents")] = _output_intent(writer)
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 12 Tf 20 180 Td ({PAGE_TEXT}) Tj ET /CS0 cs 0.2 0.4 0.6 sc 0 0 20 20 re f "
                     "/CS1 cs 0.5 sc 20 0 20 20 re f /Spot cs 1 sc 40 0 20 20 re f "
                     "q 24 0 0 16 10 30 cm /Im1 Do Q q 24 0 0 16 40 30 cm /Im2 Do Q "
                     "q 24 0 0 16 70 30 cm /Im3 Do Q q 24 0 0 16 100 30 cm /Im4 Do Q /Fm1 Do".encode())
    page[NameObject("/Contents")] = writer._add_object(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def spaces_after(page: Any) -> dict[str, Any]:
    """Each place of ``pdf_with_profiles`` that had an ICC-based space, with what it holds now."""
    resources = page["/Resources"]
    spaces, images = resources["/ColorSpace"], resources["/XObject"]
    return {"/CS0": spaces["/CS0"], "/CS1": spaces["/CS1"], "spot alternate": spaces["/Spot"][2],
            "/DefaultRGB": spaces["/DefaultRGB"], "page group": page["/Group"]["/CS"],
            "form group": images["/Fm1"]["/Group"]["/CS"],
            "form resources": images["/Fm1"]["/Resources"]["/ColorSpace"]["/CS0"],
            "/Im1": images["/Im1"]["/ColorSpace"], "indexed base": images["/Im2"]["/ColorSpace"][1],
            "/Im3": images["/Im3"]["/ColorSpace"], "/Im4": images["/Im4"]["/ColorSpace"]}
