"""The printable receipt as a PDF, with Thai set in the vendored Sarabun font (OFL, web/fonts).

WeasyPrint needs Pango from the operating system. Where it is missing the receipt still has its
print view; ``pdf_available`` tells the page whether to offer the download.
"""
from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
FONTS = HERE.parent / "fonts"
# One render at a time: the font configuration is shared and fontconfig is not thread-safe.
_RENDER_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _weasyprint() -> Any:
    import weasyprint  # imported on first use: it loads Pango, which a server may lack
    from PIL import ImageFile

    # WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process at import. The
    # receipt has no images, and uploads must refuse truncated ones, so it is turned off again.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint


def pdf_available() -> bool:
    """True when WeasyPrint and the system libraries it needs can be loaded."""
    try:
        _weasyprint()
    except (ImportError, OSError):
        return False
    return True


@lru_cache(maxsize=1)
def _stylesheet() -> tuple[Any, Any]:
    """The receipt stylesheet and its font configuration, built once (only used under the lock)."""
    weasyprint = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    # Font URLs in the stylesheet resolve against the vendored fonts folder, never the network.
    css = weasyprint.CSS(string=(HERE / "receipt.css").read_text(encoding="utf-8"),
                         base_url=f"{FONTS.as_uri()}/", font_config=fonts)
    return css, fonts


def html_to_pdf(html: str) -> bytes:
    """Render a self-contained HTML document (no external resources are fetched) to PDF bytes."""
    weasyprint = _weasyprint()
    css, fonts = _stylesheet()

    def no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if url.startswith(FONTS.as_uri()):
            return weasyprint.default_url_fetcher(url, *args, **kwargs)  # type: ignore[no-any-return]
        raise ValueError(f"the receipt fetches nothing but its fonts: {url[:40]}")

    with _RENDER_LOCK:
        document = weasyprint.HTML(string=html, base_url=f"{FONTS.as_uri()}/", url_fetcher=no_fetch)
        return document.write_pdf(stylesheets=[css], font_config=fonts)  # type: ignore[no-any-return]
