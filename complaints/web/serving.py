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

import logging
from datetime import datetime
from urllib.parse import urlsplit

from werkzeug.serving import WSGIRequestHandler

from complaints.thaidate import BANGKOK


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
