"""The development server's request handler: access log lines without the client address or
the time of day.

Insiders report from the office network; an access log line with their address next to
``POST /corruption/new`` would identify them, and so would its second, matched against the office
network's own logs. No address and no time of day is logged for any path, so the corruption
channel cannot be singled out by their absence either.
"""
from __future__ import annotations

from datetime import datetime

from werkzeug.serving import WSGIRequestHandler

from complaints.thaidate import BANGKOK


class AddresslessRequestHandler(WSGIRequestHandler):
    """Logs method, path and status; never the remote address, user agent or referrer."""

    def address_string(self) -> str:
        """Stand-in for the client address in log lines."""
        return "-"

    def log_date_time_string(self) -> str:
        """The Bangkok day only, as the case records it for a corruption report (a server's own
        day, in UTC, would change at 07:00 and give away a report sent before then)."""
        return datetime.now(BANGKOK).strftime("%d/%b/%Y")
