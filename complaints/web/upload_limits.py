"""Uploads are capped while the request is read, so a file over its limit costs no more than
the limit, and the form around it is still read.

Werkzeug's own cap is on the whole request (``MAX_CONTENT_LENGTH``): past it the request is
refused before any field is read, and the citizen loses everything they typed. Here each file
part keeps at most one byte past ``MAX_ATTACHMENT_BYTES`` (enough for ``uploads`` to refuse it
with its own message on the form, text kept) and parts after the first ``MAX_ATTACHMENTS``
keep nothing, so the request cap can sit well above five full files without a request being
able to fill the disk. Text stays small in memory: a multipart text part is capped by
``MAX_FORM_MEMORY_SIZE`` and their number by ``MAX_FORM_PARTS``, and a body that is not multipart
(which Werkzeug reads whole, and no form here sends) by ``MAX_PLAIN_BODY``.
"""
from __future__ import annotations

import tempfile
from typing import IO, Any

from flask import Flask, Request, current_app

from complaints.web.forms import DESCRIPTION_MAX
from complaints.workflow.tracking import ANSWER_MAX

SPOOL_IN_MEMORY = 1024 * 1024  # parts larger than this go to a temporary file


def stated_limits() -> dict[str, int]:
    """The limits a refusal of a too-large request states: the details' characters (``chars``),
    an answer's (``answer_chars``), the number of files (``files``) and each file's size in MB
    (``size``)."""
    config = current_app.config
    return {"chars": DESCRIPTION_MAX, "answer_chars": ANSWER_MAX, "files": int(config["MAX_ATTACHMENTS"]),
            "size": int(config["MAX_ATTACHMENT_BYTES"]) // (1024 * 1024)}


class CappedSpool(tempfile.SpooledTemporaryFile):  # type: ignore[type-arg]
    """A spooled file that keeps the first ``room`` bytes written to it and drops the rest."""

    def __init__(self, room: int) -> None:
        super().__init__(max_size=SPOOL_IN_MEMORY)
        self.room = room

    def write(self, data: Any) -> int:
        """Keep what still fits; report everything as written, so the parser reads on."""
        kept = bytes(data[: max(self.room, 0)])
        self.room -= len(kept)
        if kept:
            super().write(kept)
        return len(data)


class UploadCappedRequest(Request):
    """Flask's request with file parts stored through ``CappedSpool``, and the large request cap
    for multipart bodies only."""

    file_parts = 0  # file parts read so far (per request: each request is its own object)

    @property
    def max_content_length(self) -> int | None:
        """``MAX_CONTENT_LENGTH`` for a multipart body, ``MAX_PLAIN_BODY`` for any other."""
        if self.mimetype == "multipart/form-data" or self._max_content_length is not None:
            return super().max_content_length  # (or the cap a view set for itself)
        return int(current_app.config["MAX_PLAIN_BODY"])

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        """A view may still set its own cap, as on Flask's request."""
        Request.max_content_length.fset(self, value)  # type: ignore[attr-defined]

    def _get_file_stream(self, total_content_length: int | None, content_type: str | None,
                         filename: str | None = None, content_length: int | None = None) -> IO[bytes]:
        config = current_app.config
        self.file_parts += 1
        # A file past the count keeps nothing, but its name: the form still says "at most five".
        room = config["MAX_ATTACHMENT_BYTES"] + 1 if self.file_parts <= config["MAX_ATTACHMENTS"] else 0
        return CappedSpool(room)  # type: ignore[return-value]


class GuardedInput:
    """``wsgi.input`` whose failures reach Werkzeug as ``OSError`` with no message.

    Werkzeug answers an ``OSError`` from the body with a 400 and logs nothing. Any other error
    would reach Flask as the application's own, logged with its message: gunicorn's
    ``InvalidChunkSize`` for a malformed chunked body quotes up to 8 KB of the body, a report's
    words among them, and its ``NoMoreData`` the bytes it had read.
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def read(self, *args: Any) -> bytes:
        """The server's ``read``."""
        return self._guard(self._stream.read, *args)

    def readline(self, *args: Any) -> bytes:
        """The server's ``readline``."""
        return self._guard(self._stream.readline, *args)

    @staticmethod
    def _guard(method: Any, *args: Any) -> bytes:
        try:
            return method(*args)  # type: ignore[no-any-return]
        except Exception:  # noqa: BLE001 - whatever the server raises, its message stays here
            raise OSError("the request body could not be read") from None


def register_upload_limits(app: Flask) -> None:
    """Read requests through ``UploadCappedRequest``, from a ``GuardedInput``."""
    app.request_class = UploadCappedRequest
    inner = app.wsgi_app

    def guarded(environ: dict[str, Any], start_response: Any) -> Any:
        if "wsgi.input" in environ:
            environ["wsgi.input"] = GuardedInput(environ["wsgi.input"])
        return inner(environ, start_response)

    app.wsgi_app = guarded  # type: ignore[method-assign]
