"""The WSGI application for a production server: ``gunicorn -c python:complaints.web.gunicorn_conf``.

The instance folder comes from ``COMPLAINTS_INSTANCE_PATH`` (default: ``instance/`` beside the
package), as for every ``complaints`` command.
"""
from __future__ import annotations

from complaints import create_app

app = create_app()
