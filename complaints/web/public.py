"""Public pages: home, the published guidelines of both channels, health, and error pages."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, current_app, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy import text

from complaints.web.context import get_session, get_store
from complaints.web.orgcache import OrgSnapshot
from complaints.workflow.guidelines import guideline_for

bp = Blueprint("public", __name__)


def current_org() -> OrgSnapshot | None:
    """The organization this deployment serves (``ORG_SLUG``), from the process's snapshot."""
    store = get_store()
    return store.orgs.get(store.sessions, current_app.config["ORG_SLUG"])


@bp.get("/")
def index() -> str:
    """Home page: what each channel is for, links to both, to the guidelines and to tracking."""
    return render_template("index.html", org=current_org())


@bp.get("/guide/<channel>")
def guide(channel: str) -> str:
    """The published guideline of a channel, from the settings the deadline engine enforces."""
    org = current_org()
    if channel not in ("general", "corruption") or org is None:
        abort(404)
    return render_template("guide.html", org=org, g_=guideline_for(get_session(), org, channel))


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """Liveness for operators: the database answers."""
    get_session().execute(text("SELECT 1"))
    return {"status": "ok"}, 200


ERRORS = {
    400: ("คำขอไม่ถูกต้อง", "Bad request"),
    404: ("ไม่พบหน้าที่ต้องการ", "Page not found"),
    413: ("ไฟล์หรือข้อมูลมีขนาดใหญ่เกินกำหนด", "The upload is too large"),
    429: ("ส่งคำขอบ่อยเกินไป กรุณารอสักครู่แล้วลองใหม่", "Too many requests; please wait and try again"),
    503: ("ระบบยังไม่พร้อมให้บริการ", "The service is not ready"),
}


def _error_page(code: int, th: str, en: str) -> tuple[str, int]:
    return render_template("error.html", org=None, code=code, th=th, en=en), code


def register_errors(app: Flask) -> None:
    """Bilingual error pages; a missing or stale CSRF token explains what to do."""
    for code, (th, en) in ERRORS.items():
        app.register_error_handler(code, lambda _e, c=code, t=th, e=en: _error_page(c, t, e))

    @app.errorhandler(CSRFError)
    def _csrf(_exc: CSRFError) -> Any:
        return _error_page(
            400,
            "แบบฟอร์มหมดอายุหรือไม่ได้ส่งมาจากหน้านี้ กรุณากลับไปกรอกใหม่",
            "The form expired or did not come from this site; please go back and fill it in again",
        )
