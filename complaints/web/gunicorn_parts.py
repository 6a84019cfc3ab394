"""gunicorn, the production server, made to keep what ``complaints serve`` keeps.

Out of the box gunicorn logs a request it cannot parse as "Invalid request from ip=<address>:
Invalid Request Line '<the whole line, query string and all>'" and sends that line back in an
English page with none of the site's headers; its error log dates each line to the second, and
its debug lines name the client's address. Here, as in ``complaints/web/serving.py``: no address,
no request line, no time of day, and a Thai and English refusal under the site's CSP.
"""
from __future__ import annotations

import logging
import ssl
from typing import Any

from gunicorn import util
from gunicorn.glogging import Logger
from gunicorn.http.errors import (
    ConfigurationProblem,
    ExpectationFailed,
    ForbiddenProxyRequest,
    InvalidResponseHeader,
    InvalidResponseHeaderName,
    LimitRequestHeaders,
    LimitRequestLine,
    ParseException,
    UnsupportedTransferCoding,
)
from gunicorn.workers.gthread import ThreadWorker

from complaints.web.serving import BangkokDayFormatter, server_refusal_response

# The statuses gunicorn itself gives these refusals; any other request it cannot parse is a 400.
_REFUSAL_STATUS: tuple[tuple[type[BaseException], int], ...] = (
    (LimitRequestLine, 414),
    (LimitRequestHeaders, 431),
    (ExpectationFailed, 417),
    (UnsupportedTransferCoding, 501),
    (ForbiddenProxyRequest, 403),
    (ssl.SSLError, 403),
)


def refusal_status(exc: BaseException) -> int:
    """The status for a request that failed before the application answered it.

    A header the application tried to send, or a setting gunicorn cannot honour, is the server's
    fault: 500, as for any other error.
    """
    if isinstance(exc, (InvalidResponseHeader, InvalidResponseHeaderName, ConfigurationProblem)):
        return 500
    for kind, status in _REFUSAL_STATUS:
        if isinstance(exc, kind):
            return status
    return 400 if isinstance(exc, ParseException) else 500


class AddresslessLogger(Logger):
    """gunicorn's logger with day-only dates, no debug lines, and a request line without who or when.

    ``access_log_on`` is set from the app's ``SERVE_ACCESS_LOG`` once the app is loaded (see
    ``gunicorn_conf.when_ready``); gunicorn's own access-log settings and format are not used.
    """

    access_log_on = False

    def setup(self, cfg: Any) -> None:
        """gunicorn's setup, then the day-only format and at least INFO on the error log."""
        super().setup(cfg)
        # Debug lines name the client: "Ignored premature client disconnection", SSL errors.
        self.error_log.setLevel(max(self.error_log.level, logging.INFO))
        for handler in self.error_log.handlers:
            handler.setFormatter(BangkokDayFormatter("[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s"))

    @property
    def access_log_enabled(self) -> bool:
        """Whether the workers should report requests at all."""
        return self.access_log_on

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        """Method, path without its query string, and status; never address, agent, referrer or time."""
        if self.access_log_on:
            status = str(resp.status or "-").split(" ", 1)[0]
            self.error_log.info('"%s %s" %s', req.method, req.path, status)


class AddresslessThreadWorker(ThreadWorker):
    """gunicorn's threaded worker with its own refusals (threads keep a slow upload from holding
    a whole worker)."""

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        """Log the refusal by its status alone and send the site's own page."""
        status = refusal_status(exc)
        if status >= 500:
            self.log.error("request not handled: %s", type(exc).__name__)
        else:
            self.log.warning("code %d", status)
        try:
            util.write_nonblock(client, server_refusal_response(status))
        except Exception:  # noqa: BLE001 - the client may be gone; nothing to tell it then
            pass


def unsafe_settings(cfg: Any, log: Any) -> tuple[str | None, list[str]]:
    """What in gunicorn's settings would write who sent a request: a reason to refuse to start
    (or None), and warnings.

    Another logger class (``--logger-class``, or the statsd one) writes addresses and times to
    the second; another worker class logs "Invalid request from ip=…".
    """
    if not isinstance(log, AddresslessLogger):
        return "logger_class must stay complaints.web.gunicorn_parts.AddresslessLogger", []
    if not issubclass(cfg.worker_class, AddresslessThreadWorker):
        return "worker_class must stay complaints.web.gunicorn_parts.AddresslessThreadWorker", []
    warnings = []
    if cfg.max_requests:
        warnings.append("max_requests: a worker logs its restart as the request that ends it is answered, "
                        "and whatever stamps the log dates that request; leave it at 0")
    return None, warnings
