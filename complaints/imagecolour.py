"""Uploaded pictures in sRGB, so that they look the same once their colour profile is dropped.

An ICC profile embedded in a photo or scan names the camera, scanner or copier (an office copier
names the office: "Canon-iR-ADV-C5535-LEGAL-3F") and its header says when it was made, so
``uploads`` never keeps it. Nor does it put a standard sRGB profile in its place: browsers and
viewers show a picture without a profile as sRGB anyway, and lcms stamps the profile it builds
with the time it built it. What matters is that the pixels are sRGB: a picture in a wider space
(Display P3 from an iPhone, Adobe RGB from a camera) would look dull without its profile, so it
is converted first.
"""
from __future__ import annotations

import io

from PIL import Image, ImageChops, ImageCms

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# Every 16th level of each channel (4,913 colours): converting these first tells an sRGB profile,
# the usual one, from others at no cost, whereas converting a 12-megapixel photo takes a second.
_LEVELS = (*range(0, 256, 16), 255)
_PROBE = Image.frombytes("RGB", (len(_LEVELS) ** 3, 1),
                         bytes(v for r in _LEVELS for g in _LEVELS for b in _LEVELS for v in (r, g, b)))
# A converted value may differ from the original by rounding alone.
_SAME = 1


def in_srgb(image: Image.Image, profile: object) -> Image.Image:
    """``image`` converted from its ICC ``profile`` (the bytes in Pillow's ``info``) to sRGB.

    ``image`` itself comes back when there is nothing to convert: the profile is sRGB or close
    to it, the picture is not RGB or RGBA (grey and palette pictures are taken as they are), or
    the profile is not an RGB one or is one lcms cannot use (a broken profile costs colours,
    not the upload).
    """
    if not isinstance(profile, bytes) or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        if source.profile.xcolor_space != "RGB ":
            return image
        transform = ImageCms.buildTransform(source, _SRGB, image.mode, image.mode)
        probe = _PROBE.convert(image.mode)
        difference = ImageChops.difference(ImageCms.applyTransform(probe, transform) or probe, probe)
        if max(high for _, high in difference.getextrema()) <= _SAME:
            return image
        return ImageCms.applyTransform(image, transform) or image  # None only when converting in place
    except (OSError, ValueError, ImageCms.PyCMSError):  # lcms reports a profile it cannot read as OSError
        return image
