"""Production serving with gunicorn: ``gunicorn -c python:complaints.web.gunicorn_conf``.

Several threaded workers behind the reverse proxy that holds TLS, forked from one master that
loaded the app first (``preload_app``): the workers then share the rate limiter's seed
(complaints/web/limits.py) and the PDF fonts. The deadline sweep is not run here: run
``complaints scheduler`` beside it, once per deployment. Command-line options (``-b``, ``-w``)
override these settings.
"""
from __future__ import annotations

import os
import sys
from typing import Any

wsgi_app = "complaints.wsgi:app"
bind = [os.environ.get("COMPLAINTS_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("COMPLAINTS_THREADS", "4"))
worker_class = "complaints.web.gunicorn_parts.AddresslessThreadWorker"
logger_class = "complaints.web.gunicorn_parts.AddresslessLogger"
preload_app = True
errorlog = "-"
accesslog = None  # requests are logged, when SERVE_ACCESS_LOG asks, by AddresslessLogger
loglevel = "info"
proc_name = "complaints"
control_socket_disable = True  # gunicorn 24+: nothing here uses it; one less file outside instance/


def when_ready(server: Any) -> None:
    """Before the workers are forked: refuse settings that would log who sent a request and an
    instance that cannot serve, close the master's connections, take the access-log setting, and
    warn when several workers would each count filings on their own."""
    from complaints.web.context import get_store, startup_problem
    from complaints.web.gunicorn_parts import unsafe_settings
    from complaints.wsgi import app

    refusal, warnings = unsafe_settings(server.cfg, server.log)
    problem = refusal or startup_problem(app)
    if problem:
        server.log.error("cannot serve: %s", problem)
        sys.exit(1)
    for warning in warnings:
        server.log.warning(warning)
    # The check opened a connection, and the workers are forked next: a connection shared by two
    # processes mixes their conversations.
    get_store(app).engine.dispose()
    server.log.access_log_on = bool(app.config["SERVE_ACCESS_LOG"])
    if server.num_workers > 1 and "memory://" in str(app.config["RATELIMIT_STORAGE_URI"]):
        server.log.warning("each of the %d workers counts filings on its own: point RATELIMIT_STORAGE_URI "
                           "at Redis (redis://127.0.0.1:6379) so the limits hold across them", server.num_workers)
