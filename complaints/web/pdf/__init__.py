"""The printable receipt as a PDF, with Thai set in the vendored Sarabun font (OFL, web/fonts).

WeasyPrint needs Pango from the operating system. Where it is missing the receipt still has its
print view; ``pdf_available`` tells the page whether to offer the download. ``prepare_renderer`` is
called once at start-up, so WeasyPrint's import (and its process-wide Pillow setting, undone
below) never happens in the middle of a request.
"""
from __future__ import annotations

import atexit
import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
FONTS = HERE.parent / "fonts"
FONTS_URL = f"{FONTS.as_uri()}/"
# Sara am and the tone marks or above vowels written before it (see spell_out_sara_am).
_SARA_AM = re.compile("([\u0e31\u0e34-\u0e37\u0e47-\u0e4e]*)\u0e33")
# One render at a time: the font configuration is shared and fontconfig is not thread-safe.
_RENDER_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def load_renderer() -> Any:
    """WeasyPrint, imported once, or None when it or the system's Pango cannot be loaded."""
    try:
        import weasyprint
    except (ImportError, OSError):
        return None
    from PIL import ImageFile

    # WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process at import. The
    # receipt has no images, and uploads must refuse truncated ones, so it is turned off again.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint


def prepare_renderer() -> None:
    """Import WeasyPrint and build the receipt's fonts and stylesheet now, at start-up.

    The font configuration writes the fonts to a fresh ``weasyprint-*`` folder in the temporary
    directory. Built at the first PDF, the folder's times would record when a receipt was asked
    for, minutes after a report was filed; built here, they record when the server started. The
    folder is removed when the process exits.
    """
    if load_renderer() is not None:
        _parts()
        atexit.register(_parts.cache_clear)  # dropping the configuration removes its folder


def pdf_available() -> bool:
    """True when WeasyPrint and the system libraries it needs can be loaded."""
    return load_renderer() is not None


@lru_cache(maxsize=1)
def _parts() -> tuple[Any, Any, Any]:
    """The fetcher, font configuration and stylesheet, built once and used under the lock."""
    weasyprint = load_renderer()
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class FontsOnly(URLFetcher):  # type: ignore[misc]
        """Fetches the vendored fonts and nothing else: a receipt never reaches the network."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith(FONTS_URL):
                raise FatalURLFetchingError(f"the receipt fetches nothing but its fonts: {url[:60]}")
            return super().fetch(url, headers)

    class OwnFonts(FontConfiguration):  # type: ignore[misc]
        """Removes the fonts folder only in the process that made it.

        gunicorn's workers are forked from a master that built it at start-up (``--preload``), and
        a worker that exits (a restart, a reload) would otherwise take the folder from the master
        and every other worker: their next receipt would have no Thai font.
        """

        def __init__(self) -> None:
            super().__init__()
            self.maker = os.getpid()

        def __del__(self) -> None:
            if os.getpid() == self.maker:
                super().__del__()

    fetcher, fonts = FontsOnly(allowed_protocols={"file"}), OwnFonts()
    css = weasyprint.CSS(string=(HERE / "receipt.css").read_text(encoding="utf-8"), base_url=FONTS_URL,
                         url_fetcher=fetcher, font_config=fonts)
    return fetcher, fonts, css


def spell_out_sara_am(text: str) -> str:
    """Write each sara am (ำ) as nikhahit + sara aa, the nikhahit before any tone mark, as drawn.

    The shaper draws ำ as those two glyphs anyway, moving the nikhahit in front of a tone mark;
    giving it that order draws the same pixels. The point is the PDF's text layer: WeasyPrint maps
    each glyph to Unicode once per font, and a glyph inside a multi-glyph cluster maps to nothing,
    so "ต่ำ" (low) was copied, searched and read aloud as "ตา" (eye). Spelled out, every glyph
    maps to one character: the text comes back as ต, nikhahit, mai ek, sara aa, which looks the same.
    """
    return _SARA_AM.sub("\u0e4d\\1\u0e32", text)


def html_to_pdf(html: str) -> bytes:
    """Render a self-contained HTML document (it may reference the vendored fonts only) to PDF."""
    weasyprint = load_renderer()
    if weasyprint is None:
        raise RuntimeError("WeasyPrint cannot be loaded on this server")
    html = spell_out_sara_am(html)  # sara am never occurs in markup, only in text and values
    with _RENDER_LOCK:
        fetcher, fonts, css = _parts()
        document = weasyprint.HTML(string=html, base_url=FONTS_URL, url_fetcher=fetcher)
        # Tagged (headings, paragraphs, the list of dates in reading order) so that a screen
        # reader reads the receipt as the page reads; the catalogue's /Lang comes from <html lang>.
        return document.write_pdf(  # type: ignore[no-any-return]
            stylesheets=[css], font_config=fonts, pdf_tags=True)
