"""Configuration defaults and the layering rule.

Order: these defaults → ``instance/config.py`` → ``COMPLAINTS_*`` environment variables.
A test passes a dict to ``create_app`` that replaces the last two, so a developer's own
instance folder or shell can never leak into the suite.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from flask import Flask

DEV_SECRET_KEY = "dev-insecure-change-me"

UPLOAD_CONFINEMENT_MODES = ("best-effort", "required")
ENV_NAMES = ("development", "production")
MIN_SECRET_LENGTH = 32

DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": DEV_SECRET_KEY,
    # "development" or "production"; production refuses development secrets and absent keys.
    "ENV_NAME": "development",
    # None means the SQLite file in the instance folder (the embedded default).
    "DATABASE_URL": None,
    "KEYS_DIR": None,  # None → instance/keys
    "BLOB_DIR": None,  # None → instance/blobs (encrypted attachments)
    "ORG_SLUG": "demo",
    # Seconds a process keeps its snapshot of the organization's names, time frames, categories
    # and days off (complaints/web/orgcache.py); 0 reads them on every request.
    "ORG_CACHE_SECONDS": 30,
    # Argon2id cost for staff passwords (RFC 9106 second recommendation: 64 MiB, t=3, p=4).
    "ARGON2_MEMORY_KIB": 65536,
    "ARGON2_ITERATIONS": 3,
    "ARGON2_LANES": 4,
    "MAX_ATTACHMENT_BYTES": 10 * 1024 * 1024,
    "MAX_ATTACHMENTS": 5,
    # "best-effort": on a machine without Landlock or the seccomp filter, attachments are still
    # cleaned, with the time, memory and environment limits only (``complaints init`` warns).
    # "required": such a machine refuses attachments, with a message on the form, and keeps the text.
    "UPLOAD_CONFINEMENT": "best-effort",
    # Whole request, beyond which Werkzeug answers 413 and what was typed is lost. Each file keeps
    # only up to its own limit while it is read (web/upload_limits.py), so this sits well above
    # five full files: a phone video sent by mistake gets "too large" on the form, text kept.
    "MAX_CONTENT_LENGTH": 200 * 1024 * 1024,
    # Text is held in memory while a request is read: each field up to this (the longest, a
    # 10,000-character description, is 30 KB of Thai) and at most MAX_FORM_PARTS parts, so a
    # request of 200 MB of text fields cannot hold 200 MB of memory.
    "MAX_FORM_MEMORY_SIZE": 256 * 1024,
    "MAX_FORM_PARTS": 50,
    # A body that is not multipart is read whole into memory; no form here sends one this big.
    "MAX_PLAIN_BODY": 1024 * 1024,
    # Filings that went through, per client; and every try, refused ones included (web/limits.py).
    "FILING_RATE_LIMIT": "5 per minute;100 per day",
    "FILING_ATTEMPT_LIMIT": "30 per minute;300 per day",
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (0: none).
    "TRUSTED_PROXIES": 0,
    "RECEIPT_PDF_RATE_LIMIT": "10 per minute",
    # Code lookups and answers on the tracking page, per client (web/track.py).
    "TRACKING_RATE_LIMIT": "30 per minute;300 per day",
    # memory:// for one process; redis://127.0.0.1:6379 when several workers share the limits.
    "RATELIMIT_STORAGE_URI": "memory://",
    # When that Redis stops answering, count in each process's memory until it answers again,
    # instead of failing every filing and lookup with a 500 that loses what was typed.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    # Said outright: Flask-Limiter keeps one "enabled" for all apps of a process, and an app that
    # leaves it unset inherits whatever the last one set.
    "RATELIMIT_ENABLED": True,
    # How long a form page may stay open and still be sent. Over 20 hours, so no one is timed out
    # (WCAG 2.2.1's 20-hour exception): a report written over a day, or put aside to fetch a
    # document, goes through with its files. SameSite=Strict and the token's session binding stop
    # cross-site posts however old the token; a form's one-time nonce stops a resend.
    "WTF_CSRF_TIME_LIMIT": 21 * 3600,
    # Flask-WTF's HTTPS check wants a same-site Referer, which no browser sends under our
    # Referrer-Policy: no-referrer; every filing over HTTPS failed. The token and the
    # SameSite=Strict cookie stop cross-site posts without it.
    "WTF_CSRF_SSL_STRICT": False,
    # Our forms carry their own Thai/English messages, and WTForms has no Thai catalogue; with this
    # on, Flask-WTF would look for one on disk in every request that builds a form.
    "WTF_I18N_ENABLED": False,
    # Deadline sweep: how often, and how many days before a due date the assignee is reminded.
    "SWEEP_MINUTES": 15,
    "REMIND_DAYS_BEFORE": 2,
    # Days after closing before personal data is purged; None keeps everything (no schedule yet).
    "RETENTION_DAYS": None,
    # Request lines in ``complaints serve``'s output (method, path, status; never address, query or
    # time): off, since whatever collects that output stamps each line with its own time.
    "SERVE_ACCESS_LOG": False,
    # Pages are sent in whole blocks of this many bytes, so that their size does not tell the
    # corruption form from the general one (web/padding.py); 0 sends them as they are.
    "PAD_PAGES_TO": 32 * 1024,
    # Run the scheduler inside ``complaints serve`` (the embedded default).
    "SCHEDULER_IN_SERVE": True,
    "SESSION_COOKIE_SAMESITE": "Strict",
    "SESSION_COOKIE_HTTPONLY": True,
}


def load_config(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    """Fill ``app.config`` following the layering rule, then resolve instance paths."""
    app.config.from_mapping(DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("COMPLAINTS")
    else:
        app.config.from_mapping(test_config)
    resolve_paths(app.config, Path(app.instance_path))
    app.config["ENV_NAME"] = env_name(app.config.get("ENV_NAME"))
    app.config["DATABASE_URL"] = driver_url(str(app.config["DATABASE_URL"]))
    check_production(app.config)
    if app.config["UPLOAD_CONFINEMENT"] not in UPLOAD_CONFINEMENT_MODES:
        raise ValueError(f"UPLOAD_CONFINEMENT must be one of {', '.join(UPLOAD_CONFINEMENT_MODES)}")
    pad = app.config["PAD_PAGES_TO"]
    # A block too small for the padding's own comment would give sizes off the block.
    if type(pad) is not int or not (pad == 0 or pad >= 1024):
        raise ValueError(f"PAD_PAGES_TO must be 0 (off) or a number of bytes of at least 1024, not {pad!r}")


def resolve_paths(config: dict[str, Any], instance: Path) -> None:
    """Point unset locations at the instance folder, where deployment data belongs."""
    if not config.get("DATABASE_URL"):
        config["DATABASE_URL"] = f"sqlite:///{instance / 'complaints.db'}"
    config["KEYS_DIR"] = str(config.get("KEYS_DIR") or instance / "keys")
    config["BLOB_DIR"] = str(config.get("BLOB_DIR") or instance / "blobs")


def env_name(value: object) -> str:
    """``development`` or ``production``, whatever the case it was typed in; anything else is
    refused, since "Production" read as development would drop HSTS and the Secure cookies."""
    name = str(value or "development").strip().lower()
    if name not in ENV_NAMES:
        raise ValueError(f"ENV_NAME must be one of {', '.join(ENV_NAMES)}, not {value!r}")
    return name


def driver_url(url: str) -> str:
    """A PostgreSQL address as hosting panels and Heroku-style settings write it (``postgres://``,
    ``postgresql://``) names the installed driver, psycopg 3: SQLAlchemy would look for psycopg2."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def check_production(config: Mapping[str, Any]) -> None:
    """Refuse to run production on development secrets: a leaked default key forges sessions."""
    if config.get("ENV_NAME") != "production":
        return
    if config.get("SECRET_KEY") in (None, "", DEV_SECRET_KEY):
        raise RuntimeError("production needs COMPLAINTS_SECRET_KEY or SECRET_KEY in instance/config.py")
    if len(str(config["SECRET_KEY"])) < MIN_SECRET_LENGTH:
        # It signs the sessions and the CSRF tokens: a short one can be guessed offline.
        raise RuntimeError(f"SECRET_KEY is too short for production: at least {MIN_SECRET_LENGTH} characters "
                           "(complaints init writes 64 random ones)")
    if str(config.get("DATABASE_URL", "")).startswith("sqlite") and not os.environ.get(
        "COMPLAINTS_ALLOW_SQLITE"
    ):
        # Several gunicorn workers on one SQLite file serialize every write.
        raise RuntimeError("production expects PostgreSQL (COMPLAINTS_DATABASE_URL)")
