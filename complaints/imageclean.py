"""Re-encode an uploaded JPEG or PNG with nothing but its pixels.

Photos and scans carry GPS coordinates, device serials, comments and colour profiles (which name
the scanner or copier). Decoding and encoding again keeps the picture and drops the rest.

This runs in the sandbox child (``complaints.sandbox``), as PDF rebuilding does: Pillow's
decoders parse hostile bytes, and a file of a few hundred kilobytes can declare 40 million pixels
and hold a process for seconds and hundreds of megabytes.
"""
from __future__ import annotations

import io
import struct

from PIL import Image, ImageFile, ImageOps

PIL_FORMAT = {"image/jpeg": "JPEG", "image/png": "PNG"}
MAX_PIXELS = 40_000_000  # well above any phone photo or A4 scan at 600 dpi (~35 MP)
# Pillow's decoders report malformed input through many exception types, not one.
_BAD_IMAGE = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)


class ImageUnreadable(ValueError):
    """The upload starts like a JPEG or PNG but cannot be re-encoded; ``reason`` says why, for the
    message: "damaged", "pixels" (more than MAX_PIXELS) or "complex" (more time or memory than
    ``sandbox.Limits`` allow)."""

    def __init__(self, reason: str = "damaged") -> None:
        super().__init__(reason)
        self.reason = reason


def strip_image(data: bytes, content_type: str) -> bytes:
    """The picture in ``data`` encoded again in its own format, orientation baked in, with no
    metadata but transparency. Raises ImageUnreadable."""
    fmt = PIL_FORMAT[content_type]
    try:
        # verify() checks structure but leaves the image unusable, hence the second open.
        with Image.open(io.BytesIO(data), formats=[fmt]) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data), formats=[fmt]) as img:
            # Image.open reads only the header, so the size is known before any decoding.
            if img.width * img.height > MAX_PIXELS:
                raise Image.DecompressionBombError(f"{img.width}x{img.height}")
            # Pillow's LOAD_TRUNCATED_IMAGES is process-wide and other libraries switch it on
            # (WeasyPrint does when it is imported); a truncated upload must still be refused.
            ImageFile.LOAD_TRUNCATED_IMAGES = False
            img.load()  # raises on truncated data
            clean = ImageOps.exif_transpose(img)  # bake orientation in: EXIF is dropped below
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageUnreadable("pixels") from exc
    except _BAD_IMAGE as exc:
        raise ImageUnreadable("damaged") from exc
    # Pillow copies some entries (JPEG comment, PNG ICC profile) from .info when saving; keep only
    # transparency, which is part of the picture rather than metadata. The colour profile goes
    # too: it names the scanner or copier. Its pixels are not converted: a picture in a wider
    # space than sRGB looks a little duller, which costs evidence nothing, and converting would
    # parse a stranger's profile with lcms and take a second per photo.
    clean.info = {k: v for k, v in clean.info.items() if k == "transparency"}
    out = io.BytesIO()
    if fmt == "JPEG":
        clean.save(out, format="JPEG", quality=90)
    else:
        clean.save(out, format="PNG", optimize=False)
    return out.getvalue()
