"""The development server's request handler: access log lines without the client address.

Insiders report from the office network; an access log line with their address next to
``POST /corruption/new`` would identify them. No address is logged for any path, so the
corruption channel cannot be singled out by its absence either.
"""
from __future__ import annotations

from werkzeug.serving import WSGIRequestHandler


class AddresslessRequestHandler(WSGIRequestHandler):
    """Logs method, path and status; never the remote address, user agent or referrer."""

    def address_string(self) -> str:
        """Stand-in for the client address in log lines."""
        return "-"
