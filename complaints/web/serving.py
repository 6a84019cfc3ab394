"""Log lines without the client address or the time of day: the development server's access log
and the application's error log.

Insiders report from the office network; an access log line with their address next to
``POST /corruption/new`` would identify them, and so would its second, matched against the office
network's own logs. No address and no time of day is logged for any path, so the corruption
channel cannot be singled out by their absence either. Request lines are off unless
``SERVE_ACCESS_LOG`` is set: whatever collects the server's output (journald, Docker) stamps each
line with its own microsecond, so a line written as a report arrives dates it anyway. When on,
a line gives the path without its query string, which can carry another site's click identifier.
"""
from __future__ import annotations

import html
import logging
from datetime import datetime
from http import HTTPStatus
from urllib.parse import urlsplit

from werkzeug.serving import WSGIRequestHandler

from complaints.thaidate import BANGKOK
from complaints.web.security import HEADERS, NO_STORE

# What the server says, itself, of a request it cannot read: Thai first, then English. Only these
# statuses are sent before the application sees the request.
SERVER_REFUSALS: dict[int, tuple[str, str]] = {
    400: ("เบราว์เซอร์ส่งคำขอที่อ่านไม่ได้ กรุณาเปิดหน้าเว็บใหม่จากหน้าแรก",
          "The browser sent a request the server could not read. Please start again from the home page."),
    414: ("ที่อยู่เว็บ (URL) ยาวเกินไป กรุณาเปิดหน้าเว็บใหม่จากหน้าแรก",
          "The web address (URL) is too long. Please start again from the home page."),
    431: ("คำขอมีข้อมูลส่วนหัวหรือคุกกี้มากเกินไป กรุณาลบคุกกี้ของเว็บไซต์นี้แล้วลองใหม่",
          "The request carries too many headers or cookies. Please clear this site's cookies and try again."),
}
FALLBACK = ("ระบบตอบคำขอนี้ไม่ได้ กรุณาเปิดหน้าเว็บใหม่จากหน้าแรก",
            "The system cannot answer this request. Please start again from the home page.")


def _phrase(code: int) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return "Error"


def server_refusal_page(code: int) -> bytes:
    """The page sent with a status the HTTP server gives before the application runs.

    Python's own page is English only and quotes the refused request line back, query string and
    all, in its status line and its body; this one names the problem in Thai and English and
    repeats nothing of the request.
    """
    thai, english = SERVER_REFUSALS.get(code, FALLBACK)
    phrase = _phrase(code)
    return (
        '<!doctype html>\n<html lang="th"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{code} {html.escape(phrase)}</title></head>\n<body><h1>{code}</h1>\n<p>{html.escape(thai, quote=False)}</p>\n"
        f'<p lang="en">{html.escape(english, quote=False)}</p>\n<p><a href="/">หน้าแรก</a> · <a href="/" lang="en">Home</a></p>'
        "</body></html>\n"
    ).encode()


def refusal_headers(body: bytes) -> dict[str, str]:
    """The headers of a server-made refusal: the site's own, and kept by no cache."""
    return {**HEADERS, **NO_STORE, "Content-Type": "text/html; charset=utf-8",
            "Content-Length": str(len(body))}


def server_refusal_response(code: int) -> bytes:
    """A whole HTTP/1.1 refusal, status line to page, for a server that writes to the socket itself."""
    body = server_refusal_page(code)
    head = "".join(f"{name}: {value}\r\n" for name, value in refusal_headers(body).items())
    return f"HTTP/1.1 {code} {_phrase(code)}\r\nConnection: close\r\n{head}\r\n".encode("latin-1") + body


class AddresslessRequestHandler(WSGIRequestHandler):
    """Logs errors, and with ``access_log`` method, path and status; never the remote address,
    user agent, referrer, query string or time of day."""

    access_log = False  # ``SERVE_ACCESS_LOG``: set on a subclass by ``complaints serve``

    def handle(self) -> None:
        """Handle the connection; a request the server itself cannot parse (``GET http://[x/``) is
        logged by its kind of error, where Python's socket server would print the client's address."""
        try:
            super().handle()
        except Exception as exc:  # noqa: BLE001 - anything left would reach socketserver's handle_error
            self.log_error("request not handled: %s", type(exc).__name__)

    def log_error(self, format: str, *args: object) -> None:  # noqa: A002 - the standard library's name
        """Log an error; a request Python's HTTP parser refused is logged by its status alone.

        Its message quotes the raw request line ("Bad request syntax ('GET /…?code=…')"): the
        path and query string that the access log leaves out.
        """
        if format == "code %d, message %s":
            self.log("error", "code %d", args[0])
        else:
            super().log_error(format, *args)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Refuse a request the server could not read, with the site's security headers.

        Python's version sends the refused request line back as the reason phrase and an English
        page with no CSP, no ``nosniff`` and no cache rule; the status is logged here by its code
        alone, as ``log_error`` does.
        """
        self.log_error("code %d, message %s", code, message)
        self.send_response(code)  # the standard reason phrase, not the refused line
        self.send_header("Connection", "close")
        body = server_refusal_page(code)
        for name, value in refusal_headers(body).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """One line per request when ``access_log`` is on: method, path without query, status."""
        if self.access_log:
            path = urlsplit(getattr(self, "path", "")).path
            self.log("info", '"%s %s" %s', getattr(self, "command", "-"), path, getattr(code, "value", code))

    def address_string(self) -> str:
        """Stand-in for the client address in log lines."""
        return "-"

    def log_date_time_string(self) -> str:
        """The Bangkok day only, as the case records it for a corruption report (a server's own
        day, in UTC, would change at 07:00 and give away a report sent before then)."""
        return datetime.now(BANGKOK).strftime("%d/%b/%Y")


class BangkokDayFormatter(logging.Formatter):
    """Dates application log lines (errors with their traceback) by the Bangkok day only.

    Flask's own format gave the millisecond, and an error while filing a report, a full disk or a
    dropped database connection, logs ``Exception on /corruption/new`` beside it.
    """

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        """The day the record was made, in Bangkok."""
        return datetime.fromtimestamp(record.created, BANGKOK).strftime("%Y-%m-%d")


def date_app_logs_by_day() -> None:
    """Give Flask's default log handler (stderr, or the WSGI server's error stream) the day-only format."""
    from flask.logging import default_handler

    default_handler.setFormatter(BangkokDayFormatter("[%(asctime)s] %(levelname)s in %(module)s: %(message)s"))
