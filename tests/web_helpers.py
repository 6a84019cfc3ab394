"""Helpers for web tests: fetch a form, keep its CSRF and one-time tokens, post it like a browser."""
from __future__ import annotations

import io
import re
from urllib.parse import urlsplit
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from complaints.models import Attachment, Case, CaseEvent, Category, Message

# Values a browser would send; the corruption channel must not keep any of them.
CLIENT_IP = "203.0.113.77"
USER_AGENT = "CanaryBrowser/9.9 (X11; insider-pc-4711)"
REFERRER = "https://intranet.example/secret-referrer-path"

# The receipt's code, and a rendered form's CSRF token, as the pages write them.
CODE = re.compile(r'id="tracking-code">([^<]+)<')
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
PADDING = re.compile(r"\n<!-- *-->\n\Z")


def unpadded(html: str) -> str:
    """A page without the padding ``web.padding`` sent it in."""
    return PADDING.sub("", html)

GENERAL = {
    "kind": "complaint",
    "name": "นางสาวสมใจ ทดสอบ",
    "phone": "081-000-0001",
    "email": "somjai@example.org",
    "address": "11 หมู่ที่ 2",
    "subject": "ถนนเป็นหลุมบ่อ",
    "village_no": "๒",
    "community": "",
    "place": "ถนนสายหมู่ 2 ไปหมู่ ๗",
    "description": "ถนนลูกรังสายหมู่ 2 ไปหมู่ ๗ เป็นหลุมบ่อลึก น้ำท่วมขังหลังฝนตก",
    "remedy": "ขอให้ซ่อมแซม",
    "declaration": "y",
}
CORRUPTION = {
    "kind": "complaint",
    "accused": "เจ้าหน้าที่งานพัสดุ",
    "accused_unit": "กองคลัง",
    "description": "เจ้าหน้าที่เรียกรับเงิน ๓,๐๐๐ บาท เพื่อออกใบอนุญาตเร็วขึ้น",
    "when": "มีนาคม 2568",
    "place": "สำนักงานเทศบาล",
    "evidence": "สลิปโอนเงิน",
    "witnesses": "",
}


class BrowserLikeClient(FlaskClient):
    """A test client that, like a browser, follows the redirect a POST is answered with.

    A refused filing goes back to its form, a tracking lookup or answer to the case page
    (``web.drafts``); the page a person sees is that GET. Not the one to the receipt, which is
    shown once and which tests open themselves. ``open(..., method="POST")`` does not follow.
    """

    def post(self, *args: Any, **kwargs: Any) -> Any:  # noqa: D102 - FlaskClient.post
        response = super().post(*args, **kwargs)
        target = urlsplit(response.location or "")
        if response.status_code == 303 and target.path and target.path != "/receipt":
            return self.get(target.path, query_string=target.query, base_url=kwargs.get("base_url"))
        return response


def client_for(app: Any) -> FlaskClient:
    """A test client that sends an address, a user agent and a referrer on every request."""
    client = app.test_client()
    client.environ_base.update(
        {"REMOTE_ADDR": CLIENT_IP, "HTTP_USER_AGENT": USER_AGENT, "HTTP_REFERER": REFERRER}
    )
    return client


def session_of(app: Any, client: FlaskClient) -> dict[str, Any]:
    """What ``client``'s signed (not sealed) session cookie holds, as anyone can read it."""
    return dict(app.session_interface.get_signing_serializer(app).loads(client.get_cookie("session").value))


def tokens(html: str) -> dict[str, str]:
    """The CSRF token and the one-time form token of a rendered form."""
    found = {}
    for name in ("csrf_token", "form_nonce"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
        assert tag, f"{name} missing from the form"
        found[name] = re.search(r'value="([^"]+)"', tag.group(0)).group(1)
    return found


def category_id(session: Any, channel: str) -> int:
    """The first category of a channel; ends the read so later reads see what the app writes."""
    found = int(session.scalar(select(Category.id).where(Category.channel == channel).order_by(Category.id)))
    session.rollback()
    return found


def post_form(client: FlaskClient, path: str, data: dict[str, Any], files: list[tuple[str, bytes]] = (),
              **kwargs: Any) -> Any:
    """GET the form, then POST ``data`` with its tokens and files as multipart."""
    page = client.get(path)
    assert page.status_code == 200
    body = {**tokens(page.get_data(as_text=True)), **data}
    if files:
        body["attachments"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(path, data=body, content_type="multipart/form-data", **kwargs)


def counts(session: Any) -> dict[str, int]:
    """Rows of everything a filing writes (read in a transaction of its own, then ended)."""
    session.rollback()
    found = {m.__tablename__: session.scalar(select(func.count()).select_from(m))
             for m in (Case, Message, CaseEvent, Attachment)}
    session.rollback()
    return found
