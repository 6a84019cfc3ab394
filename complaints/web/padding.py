"""Every page is sent in whole blocks of ``PAD_PAGES_TO`` bytes, so its size does not say which
page it is.

TLS hides the address of a page, not its length. The corruption form (19 KB) and the general
one (13 KB) differed by a third, and so did their guides and receipts: someone who watches the
office network (its administrator, a colleague on the same Wi-Fi) could tell that a visitor had
opened the corruption form, by the size of what came back alone. Padded to 32 KB, the home page,
both forms, both guides, the tracking page and both receipts all come in one size. The padding
is spaces inside an HTML comment after the page, which no browser shows or reads.

A page that carries what the reader typed (a refused form, shown again) grows with it; the two
forms are padded as if both were as long as the longer blank one (``form_pages``), so the same
words take the same number of blocks on either.

This hides the large differences, which show even in a router's byte counts per connection. It
does not make every answer the same to the byte: headers (a cookie, a redirect's address)
still differ by a few. A proxy that compresses pages squeezes the padding out; the deployment
notes keep gzip off for pages (README, "The reverse proxy"). The PDF receipt is padded the same
way (``padded_pdf``): its two channels differ by their texts and the glyphs those use.
"""
from __future__ import annotations

from flask import Flask, Response, g

_OPEN, _CLOSE = b"\n<!--", b"-->\n"


def padded(body: bytes, block: int, as_if_longer: int = 0) -> bytes:
    """``body`` with a comment of spaces after it, to the next whole multiple of ``block``
    bytes (the one after that when too little room is left for the comment); as many blocks as
    a body ``as_if_longer`` bytes longer would take."""
    if block <= 0:
        return body
    least = len(_OPEN) + len(_CLOSE)
    blocks = -(-(len(body) + as_if_longer + least) // block)  # rounded up
    return body + _OPEN + b" " * (blocks * block - len(body) - least) + _CLOSE


# A PDF's last lines say where its cross-reference starts ("startxref", the offset, "%%EOF"), and
# readers look for them in its last kilobyte. Comment lines put just before them move no offset
# the file records; each is kept under PDF's 255-byte line length.
_STARTXREF = b"startxref"
_PDF_LINE = 250


def padded_pdf(document: bytes, block: int) -> bytes:
    """``document`` with comment lines before its final ``startxref``, to the next whole multiple
    of ``block`` bytes (as ``padded``); a document without one is returned as it is."""
    at = document.rfind(_STARTXREF)
    if block <= 0 or at < 0:
        return document
    room = -len(document) % block
    if room < 2:  # a comment line is "%" and its end of line at the least
        room += block
    lines = []
    while room:
        size = min(room, _PDF_LINE)
        if 0 < room - size < 2:  # no line shorter than "%\n"
            size -= 2
        lines.append(b"%" + b" " * (size - 2) + b"\n")
        room -= size
    return document[:at] + b"".join(lines) + document[at:]


def pad_as_if_longer(extra: int) -> None:
    """Pad this request's page as if it were ``extra`` bytes longer: a page that has a longer
    twin (``form_pages``) comes out in as many blocks as the twin would with the same content."""
    g.pad_as_if_longer = extra


def register_padding(app: Flask) -> None:
    """Pad every HTML response of ``app`` to ``PAD_PAGES_TO`` (0: off)."""

    @app.after_request
    def _pad(response: Response) -> Response:
        block = int(app.config["PAD_PAGES_TO"])
        # Not a redirect: its few hundred bytes are the same for both channels but the address.
        if block and response.mimetype == "text/html" and not 300 <= response.status_code < 400 \
                and not response.is_streamed and not response.direct_passthrough \
                and "Content-Encoding" not in response.headers:
            body = response.get_data()
            if body:  # an empty answer (OPTIONS, a 304's) tells nothing, and stays empty
                response.set_data(padded(body, block, g.get("pad_as_if_longer", 0)))
        return response
