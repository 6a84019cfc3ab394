"""ICC colour profiles name the scanner or copier (and so the office) and say when they were made:
uploads keep neither, in pictures or in PDFs, and look as they did."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject, NumberObject

from complaints.jpeg2000 import strip_jpx_metadata
from complaints.pdfcolour import device_space
from complaints.pdfimages import strip_jpeg_metadata
from complaints.uploads import sanitize
from tests.icc_samples import (
    encoded,
    gradient,
    icc_profile,
    jp2_with_profile,
    pdf_with_profiles,
    spaces_after,
    traces,
)
from tests.pdf_checks import LIMIT, clean, everything_in
from tests.pdf_samples import PAGE_TEXT
from tests.test_jpeg2000 import CLEAN, CODESTREAM, KIND, SIGNATURE, box


def upload(name: str, data: bytes) -> bytes:
    return sanitize(name, io.BytesIO(data), max_bytes=LIMIT).stream.read()


def test_the_samples_do_carry_the_device_and_the_date() -> None:
    # Guards the tests below; a PNG compresses its profile, so it is looked for once inflated.
    for data in (icc_profile(), encoded("JPEG", icc_profile()), jp2_with_profile(), everything_in(pdf_with_profiles())):
        assert traces(data) == ["device", "creation date"]
    assert traces(Image.open(io.BytesIO(encoded("PNG", icc_profile()))).info["icc_profile"])


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_an_uploaded_picture_keeps_no_profile_and_its_pixels(fmt: str) -> None:
    data = upload("scan." + fmt.lower(), encoded(fmt, icc_profile()))
    with Image.open(io.BytesIO(data)) as image:
        assert "icc_profile" not in image.info and not traces(data)
        if fmt == "PNG":  # lossless: the very pixels
            assert image.tobytes() == gradient().tobytes()
    # An sRGB profile changes nothing: the upload is what the picture without one gives.
    assert data == upload("scan." + fmt.lower(), encoded(fmt))


def test_an_uploaded_picture_with_a_broken_profile_keeps_its_values() -> None:
    data = upload("scan.png", encoded("PNG", b"\0" * 128 + b"acsp" + b"Canon" * 40))
    with Image.open(io.BytesIO(data)) as image:
        assert "icc_profile" not in image.info and image.tobytes() == gradient().tobytes()


def test_an_embedded_jpeg_loses_its_profile_and_keeps_its_pixels() -> None:
    source = encoded("JPEG", icc_profile())
    cleaned = strip_jpeg_metadata(source)
    assert not traces(cleaned)
    with Image.open(io.BytesIO(cleaned)) as after, Image.open(io.BytesIO(source)) as before:
        assert after.tobytes() == before.tobytes()


def test_a_jpeg_2000_profile_gives_way_to_its_colour_space_by_name() -> None:
    source = jp2_with_profile()
    cleaned = strip_jpx_metadata(source)
    assert not traces(cleaned) and b"colr\x01\x00\x00\x00\x00\x00\x10" in cleaned  # enumerated: sRGB
    with Image.open(io.BytesIO(cleaned)) as after, Image.open(io.BytesIO(source)) as before:
        assert after.tobytes() == before.tobytes()


def test_a_profile_in_a_jpx_colour_group_gives_way_too() -> None:
    # JPX (not JP2): a codestream header may hold a colour group of colour boxes, one any ICC profile.
    data = SIGNATURE + KIND + box(b"jpch", box(b"cgrp", box(b"colr", b"\x03\x00\x00" + icc_profile())))
    named = box(b"colr", b"\x01\x00\x00" + (16).to_bytes(4, "big"))
    assert strip_jpx_metadata(data + box(b"jp2c", CODESTREAM)) == (SIGNATURE + KIND + box(b"jpch", box(b"cgrp", named))
                                                               + box(b"jp2c", CLEAN))


def test_a_jpeg_2000_colour_given_by_a_vendors_method_is_refused_not_kept() -> None:
    source = jp2_with_profile().replace(b"colr\x02", b"colr\x04")
    with pytest.raises(ValueError):
        strip_jpx_metadata(source)


def test_a_pdf_keeps_no_profile_anywhere() -> None:
    out = clean(pdf_with_profiles())
    assert not traces(everything_in(out)) and b"/ICCBased" not in everything_in(out)
    reader = PdfReader(io.BytesIO(out))
    assert "/OutputIntents" not in reader.root_object and "/OutputIntents" not in reader.pages[0]


def test_each_icc_based_space_becomes_the_device_space_of_its_components() -> None:
    spaces = spaces_after(PdfReader(io.BytesIO(clean(pdf_with_profiles()))).pages[0])
    gray, cmyk = {"/CS1"}, {"spot alternate"}
    assert spaces == {place: "/DeviceGray" if place in gray else "/DeviceCMYK" if place in cmyk else "/DeviceRGB"
                      for place in spaces}


def test_a_pdf_without_its_profiles_shows_the_same_text_and_pictures() -> None:
    source, cleaned = (PdfReader(io.BytesIO(pdf)).pages[0] for pdf in (pdf_with_profiles(), clean(pdf_with_profiles())))
    assert PAGE_TEXT in cleaned.extract_text()
    before, after = ({image.name: image.image for image in page.images} for page in (source, cleaned))
    assert sorted(after) == ["Im1.png", "Im2.png", "Im3.jpg", "Im4.jp2"]
    for name, picture in after.items():
        assert picture.mode == before[name].mode and picture.tobytes() == before[name].tobytes(), name


def _space(components: int | None, alternate: str | None, header: bytes = b"RGB ") -> ArrayObject:
    profile = DecodedStreamObject()
    profile.set_data(bytes(16) + header + bytes(108))
    if components is not None:
        profile[NameObject("/N")] = NumberObject(components)
    if alternate is not None:
        profile[NameObject("/Alternate")] = NameObject(alternate)
    return ArrayObject([NameObject("/ICCBased"), profile])


@pytest.mark.parametrize("space, expected", [
    (_space(1, None), "/DeviceGray"),
    (_space(4, "/DeviceCMYK"), "/DeviceCMYK"),
    (_space(None, "/DeviceGray"), "/DeviceGray"),  # no /N: the device space readers fall back to
    (_space(None, "/Lab", b"CMYK"), "/DeviceCMYK"),  # nor that: the profile's header says
    (ArrayObject([NameObject("/Indexed"), NameObject("/DeviceRGB")]), None),  # not ICC-based
])
def test_the_device_space_follows_the_components(space: ArrayObject, expected: str | None) -> None:
    assert device_space(space) == expected


def test_an_icc_based_space_of_unknown_components_is_refused_not_kept() -> None:
    with pytest.raises(ValueError):
        device_space(_space(5, "/Lab", b"2CLR"))
