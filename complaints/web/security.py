"""Security headers on every response: a hand-written strict CSP and no referrer.

No inline script or style and no third-party origin, so a whistleblower's browser talks to
nothing but this site.
"""
from __future__ import annotations

from flask import Flask, Response

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'none'",  # the site has no script: not even one of its own may run
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)

# Pages that hold a code, a story typed in or refused, or stand where the next receipt will: no
# cache (nor the back button on a shared computer) keeps them.
NO_STORE = {"Cache-Control": "no-store"}

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def register_security(app: Flask) -> None:
    """Attach the headers; production also marks cookies Secure and asks for HSTS."""
    production = app.config.get("ENV_NAME") == "production"
    if production:  # not setdefault: Flask's own defaults already hold the key, as False
        # The cookie carries the sealed receipt for half an hour; it must never travel in clear.
        app.config["SESSION_COOKIE_SECURE"] = True
        # __Host-: the browser takes it only from this host, over HTTPS, for the whole site, so a
        # sibling subdomain (www.<org>.go.th) cannot plant a session of its own beside it.
        app.config["SESSION_COOKIE_NAME"] = "__Host-session"

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if response.status_code in (301, 302, 303, 307, 308):
            # A browser may cache a redirect, and the one after a filing dates a corruption report.
            response.headers.setdefault("Cache-Control", "no-store")
        if production:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
