"""``strip_image`` run in this process: what the sandbox child runs, without the child around it."""
from __future__ import annotations

import io

import pytest
from PIL import Image, ImageFile

from complaints.imageclean import ImageUnreadable, strip_image


def _encoded(fmt: str) -> bytes:
    # Noise-like pixels, so the compressed data is long enough for half of it to miss real scan lines.
    img = Image.frombytes("RGB", (200, 150), bytes((i * 7919) % 251 for i in range(200 * 150 * 3)))
    out = io.BytesIO()
    img.save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize("fmt, content_type", [("JPEG", "image/jpeg"), ("PNG", "image/png")])
def test_a_truncated_picture_is_damaged_even_when_the_process_allows_truncation(monkeypatch, fmt, content_type):
    # The test through ``sanitize`` sets the flag in the web worker, but cleaning runs in a fresh
    # child where the flag is off anyway. Here the flag is on (as WeasyPrint leaves it) in the very
    # process that decodes: strip_image must switch it off itself.
    data = _encoded(fmt)
    assert strip_image(data, content_type)  # whole, it is cleaned
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(ImageUnreadable) as caught:
        strip_image(data[: len(data) // 2], content_type)
    assert caught.value.reason == "damaged"
