"""The development server's request handler: access log lines without the client address or
the time of day.

Insiders report from the office network; an access log line with their address next to
``POST /corruption/new`` would identify them, and so would its second, matched against the office
network's own logs. No address and no time of day is logged for any path, so the corruption
channel cannot be singled out by their absence either.
"""
from __future__ import annotations

import time

from werkzeug.serving import WSGIRequestHandler


class AddresslessRequestHandler(WSGIRequestHandler):
    """Logs method, path and status; never the remote address, user agent or referrer."""

    def address_string(self) -> str:
        """Stand-in for the client address in log lines."""
        return "-"

    def log_date_time_string(self) -> str:
        """The day only, as the case records it for a corruption report."""
        return time.strftime("%d/%b/%Y")
