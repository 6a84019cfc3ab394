"""The application's error log names what failed and where, never what the failure was given.

Flask logs an unhandled error with its message, and a library's message may quote its input:
PostgreSQL's ``DETAIL: Key (…)=(…) already exists`` gives the row's values, a decoder or a parser
the text it choked on. On a filing that text is a report's words or a blind index. The log keeps
the exception's type and every frame (file, line, function, the line of code), which is what an
administrator or a developer needs to find the fault; the messages stay out, chained ones too.
"""
from __future__ import annotations

import logging
import traceback

from flask import Flask


def traceback_without_messages(exc: BaseException) -> str:
    """``exc``'s traceback, its causes and contexts first as Python prints them, with each
    message replaced by a note that it was not logged."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and not any(current is one for one in chain):
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return "\nThe above exception led to the following exception:\n\n".join(
        "Traceback (most recent call last):\n" + "".join(traceback.format_tb(one.__traceback__))
        + f"{type(one).__module__}.{type(one).__qualname__} (message not logged)\n"
        for one in reversed(chain))


def log_exceptions_without_messages(app: Flask) -> None:
    """Put ``WithoutMessages`` on every logger that logs an exception of ``app``: Flask's own
    (an unhandled error, logged as "Exception on PATH [METHOD]" with no query string, and an
    after_request hook or the session save failing while an error is handled), and Werkzeug's
    and gunicorn's, for one that escapes the application."""
    for name in (app.logger.name, "werkzeug", "gunicorn.error"):
        filter_logger(name)


class WithoutMessages(logging.Filter):
    """A logging filter that logs an exception the same way on any logger (Flask's own paths,
    Werkzeug's, gunicorn's, APScheduler's): the record keeps its own words, and
    ``traceback_without_messages`` takes the place of the exception."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite a record that carries an exception; pass every record on."""
        if record.exc_info and record.exc_info[1] is not None:
            record.msg = f"{record.getMessage()}\n{traceback_without_messages(record.exc_info[1])}"
            record.args, record.exc_info, record.exc_text = (), None, None
        return True


def filter_logger(name: str) -> None:
    """Put ``WithoutMessages`` on the logger ``name``, once however often it is called."""
    logger = logging.getLogger(name)
    if not any(isinstance(one, WithoutMessages) for one in logger.filters):
        logger.addFilter(WithoutMessages())
