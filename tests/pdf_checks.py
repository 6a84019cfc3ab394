"""How PDF tests look at a cleaned upload: through the same upload path as the web app, and
searched with every stream decoded, so nothing compressed hides from the search."""
from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.generic import StreamObject

from complaints.uploads import sanitize

LIMIT = 10 * 1024 * 1024


def everything_in(pdf: bytes) -> bytes:
    """The raw file plus every object and every stream of it decoded."""
    reader = PdfReader(io.BytesIO(pdf))
    parts = [pdf]
    for generation, numbers in reader.xref.items():
        for number in numbers:
            obj = reader.get_object(number) if generation == 0 else None
            parts.append(repr(obj).encode())
            if isinstance(obj, StreamObject):
                parts.append(obj.get_data())
    return b"\n".join(parts)


def clean(data: bytes) -> bytes:
    """``data`` as an upload stores it: vetted and rebuilt by ``uploads.sanitize``."""
    return sanitize("report.pdf", io.BytesIO(data), max_bytes=LIMIT).stream.read()
