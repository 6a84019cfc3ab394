"""Complaint and whistleblower intake for Thai local government organizations."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:  # Flask is imported when an app is made, so tools such as the PDF sandbox's
    from flask import Flask  # child process can import a module of this package quickly


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Application factory: configuration, database and keys, then the web blueprints."""
    instance_path = os.environ.get("COMPLAINTS_INSTANCE_PATH") if test_config is None else None
    if test_config is not None and test_config.get("INSTANCE_PATH"):
        instance_path = str(test_config["INSTANCE_PATH"])
    from flask import Flask

    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder="web/templates",
        static_folder="web/static",
    )

    from complaints.config import load_config

    load_config(app, test_config)

    from flask_wtf.csrf import CSRFProtect

    from complaints.web import filing, public, receipt_pages, track
    from complaints.web.arrivals import register_arrivals
    from complaints.web.context import register_store
    from complaints.web.errorlog import log_exceptions_without_messages
    from complaints.web.i18n import register_i18n
    from complaints.web.limits import register_limits
    from complaints.web.padding import register_padding
    from complaints.web.security import register_security
    from complaints.web.serving import date_app_logs_by_day
    from complaints.web.upload_limits import register_upload_limits

    from complaints.web.pdf import prepare_renderer

    prepare_renderer()  # once per process, at start-up: see complaints/web/pdf
    date_app_logs_by_day()
    log_exceptions_without_messages(app)
    register_store(app)
    register_security(app)
    register_padding(app)
    register_upload_limits(app)
    register_i18n(app)
    register_limits(app)
    register_arrivals(app)
    CSRFProtect(app)
    public.register_errors(app, refill=lambda message, status: (
        filing.refill_form(message, status) or track.refill_tracking(message, status)))
    app.register_blueprint(public.bp)
    app.register_blueprint(filing.bp)
    app.register_blueprint(receipt_pages.bp)
    app.register_blueprint(track.bp)
    return app
