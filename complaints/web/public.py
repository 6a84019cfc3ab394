"""Public pages. Filing forms arrive with the citizen-intake issue; this serves the home page."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template
from sqlalchemy import select, text

from complaints.models import Organization
from complaints.web.context import get_session

bp = Blueprint("public", __name__)


def current_org() -> Organization | None:
    """The organization this deployment serves (``ORG_SLUG``)."""
    slug = current_app.config["ORG_SLUG"]
    return get_session().scalar(select(Organization).where(Organization.slug == slug))


@bp.get("/")
def index() -> str:
    """Home page in Thai: who runs the service and what the two channels are for."""
    return render_template("index.html", org=current_org())


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """Liveness for operators: the database answers."""
    get_session().execute(text("SELECT 1"))
    return {"status": "ok"}, 200
