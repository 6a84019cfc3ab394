"""Arrivals from other sites, under a ``SameSite=Strict`` session cookie.

A browser sends a Strict cookie with no navigation that starts on another site (a link in LINE or
Facebook, a search result), yet keeps any cookie the answer sets. Every form page writes the
session (a CSRF token and a one-time form token), so such an arrival used to answer with a new,
empty session that replaced the visitor's own: the form being typed in another tab then failed
its CSRF check at sending, and its text was lost. Any page on the web could do that to a
whistleblower's draft with one link to this site.

Such an arrival is answered instead by a page that reloads itself at once and sets nothing. A
reload started by this site's own page is a same-site navigation, so it carries the Strict
cookie, and the page then comes as usual. The reload goes to the same address (``content="0"``
names none), so no address from the request is written into the refresh.

The price: a top-level GET from another site now reaches the session after the reload, as under
``SameSite=Lax``. POSTs never do. So no GET may use up anything another site could aim it at:
the receipt is not reloaded here, and the language switch will not send anyone to it.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, current_app, render_template, request

from complaints.web.public import current_org
from complaints.web.security import NO_STORE


# The receipt is reached only by the filing's own redirect; coming from another site it stays
# unopened (reloaded, it would be shown, and used up, wherever another site chose to open it).
_NOT_RELOADED = frozenset({"static", "receipt.page", "public.healthz"})


def is_cross_site_arrival() -> bool:
    """True for a top-level GET that started on another site and carries no session cookie.

    Fetch Metadata headers tell (every current browser sends them); without them nothing is known,
    and the page is served as before.
    """
    return (request.method in ("GET", "HEAD")
            and request.headers.get("Sec-Fetch-Site") == "cross-site"
            and request.headers.get("Sec-Fetch-Mode") == "navigate"
            and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
            and request.url_rule is not None  # a 404 or 405 is answered as such
            and request.endpoint not in _NOT_RELOADED)


def register_arrivals(app: Flask) -> None:
    """Answer cross-site arrivals with the self-reloading page (before any view can write the session)."""

    @app.before_request
    def _reload_as_same_site() -> Any:
        if not is_cross_site_arrival():
            return None
        page = render_template("arriving.html", org=current_org())
        return page, 200, NO_STORE
