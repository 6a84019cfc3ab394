"""A refusal that keeps no words still says why, on the page its redirect goes to.

Most refusals travel as a sealed draft (``web.drafts``). Some keep no words: past the drafts'
allowance, a failure the database could not keep a draft for, and a form whose CSRF token is not
this session's own (its words may be another site's). They are answered by a 303 all the same,
so that no history entry keeps the POST body, and the page they go to says why through one of
two carriers, neither of which holds a word, a message or the page's path:

- a mark in the session cookie (signed, not sealed): a keyed digest of the page, the reason and
  the session's salt, and when it lapses;
- for a browser that sent no session cookie, so there is no session to mark, ``?cookies=off`` on
  the page's address. The page believes it only while its own request still comes without the
  cookie: a link carrying it shows nothing to a browser that keeps cookies. A body too large to
  be read is refused before its token is looked at, so such a browser is told of both at once:
  ``&also=`` names the size refusal beside it (a reason's key, not a word of the form).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from contextlib import nullcontext
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, redirect, request, session
from flask_babel import force_locale
from flask_babel import lazy_gettext as _
from werkzeug.wrappers import Response

from complaints.web.upload_limits import stated_limits

REFUSAL_TTL = timedelta(minutes=10)  # how long a refusal's mark, or its draft (``web.drafts``), waits for its page
# A refused form opens at its error summary (``_form.html``): a phone need not scroll to find it,
# and a screen reader starts reading there.
ERROR_SUMMARY = "#error-summary"
_SALT = "draft_salt"
_MARK = "refusal_mark"  # session key of the mark
_COOKIES_OFF = ("cookies", "off")
_ALSO = "also"

# What each kind of wordless refusal says on the page, and the status the page is shown with.
REASONS: dict[str, tuple[Any, int]] = {
    "not_kept": (_("ยังไม่ได้ส่ง และข้อความที่กรอกไว้ไม่ได้เก็บไว้ เพราะส่งบ่อยเกินไป กรุณารอสักครู่แล้วกรอกใหม่"), 429),
    # A token refused for another reason than age: no word of "another site" alone (it alarms a
    # reporter, and nearly always the form was merely open too long in a tab put to sleep).
    "stale_form": (_("ส่งไม่สำเร็จ เรื่องยังไม่ได้ส่ง แบบฟอร์มนี้เปิดค้างไว้นานเกินไป หรือส่งมาจากหน้าที่ไม่ใช่ของเว็บไซต์นี้"
                     " สิ่งที่กรอกไว้ไม่ได้เก็บไว้ กรุณากรอกใหม่แล้วกดส่ง"), 400),
    # The tracking pages report nothing: "your report has not been sent" would be untrue there.
    "stale_lookup": (_("ส่งไม่สำเร็จ หน้านี้เปิดค้างไว้นานเกินไป หรือส่งมาจากหน้าที่ไม่ใช่ของเว็บไซต์นี้"
                       " กรุณากรอกรหัสติดตามเรื่องอีกครั้ง"), 400),
    "stale_answer": (_("ส่งคำตอบไม่สำเร็จ หน้านี้เปิดค้างไว้นานเกินไป หรือส่งมาจากหน้าที่ไม่ใช่ของเว็บไซต์นี้"
                       " คำตอบที่พิมพ์ไว้ไม่ได้เก็บไว้ กรุณากรอกรหัสติดตามเรื่อง แล้วตอบอีกครั้ง"), 400),
    # A failure whose words could not be kept (the drafts' allowance is used up, or the database
    # is what failed). An answer's COMMIT may have gone through though its reply was lost: "may".
    "failed_form": (_("ระบบขัดข้อง เรื่องยังไม่ได้บันทึก และข้อความที่กรอกไว้ไม่ได้เก็บไว้ กรุณากรอกใหม่แล้วลองส่งอีกครั้งภายหลัง"), 500),
    "failed_lookup": (_("ระบบขัดข้อง เปิดเรื่องไม่สำเร็จ กรุณากรอกรหัสติดตามเรื่องแล้วลองใหม่ภายหลัง"), 500),
    "failed_answer": (_("ระบบขัดข้อง คำตอบอาจยังไม่ได้บันทึก และคำตอบที่พิมพ์ไว้ไม่ได้เก็บไว้"
                        " กรุณากรอกรหัสติดตามเรื่องเพื่อดูว่ามีคำตอบนี้ในเรื่องแล้วหรือไม่ ก่อนตอบอีกครั้ง"), 500),
    # A filing or an answer saved before a failure (web.public): never "not saved", which invites
    # a second copy. A filing's receipt page says it when no receipt could be sealed for it.
    "saved_report": (_("ระบบขัดข้องหลังจากบันทึกเรื่องแล้ว เรื่องได้รับไว้แล้ว ไม่ต้องส่งซ้ำ แต่แสดงรหัสติดตามเรื่องไม่ได้"
                       " หากท่านให้ช่องทางติดต่อไว้ หน่วยงานจะแจ้งผลทางช่องทางนั้น"), 500),
    "maybe_saved": (_("ระบบขัดข้องระหว่างบันทึกเรื่อง จึงยืนยันไม่ได้ว่าได้รับเรื่องไว้แล้วหรือไม่ และแสดงรหัสติดตามเรื่องไม่ได้"
                      " หากส่งใหม่ หน่วยงานอาจได้รับเรื่องนี้สองครั้ง"), 500),
    "saved_answer": (_("ระบบขัดข้องหลังจากบันทึกคำตอบแล้ว คำตอบได้รับไว้แล้ว ไม่ต้องส่งซ้ำ"
                       " กรอกรหัสติดตามเรื่องเพื่อดูคำตอบนี้ในเรื่องได้"), 500),
    # A request too large to be read (web.upload_limits): none of it was, so nothing is kept.
    "too_large_form": (_("ส่งไม่สำเร็จ เรื่องยังไม่ได้ส่ง เพราะข้อมูลที่ส่งมีขนาดใหญ่เกินกำหนด"
                         " รายละเอียดยาวได้ไม่เกิน %(chars)s ตัวอักษร แนบไฟล์ได้ไม่เกิน %(files)s ไฟล์ ไฟล์ละไม่เกิน %(size)s MB"
                         " สิ่งที่กรอกไว้ไม่ได้เก็บไว้ กรุณากรอกใหม่ แล้วแนบเฉพาะไฟล์ที่จำเป็น"), 413),
    "too_large_lookup": (_("ส่งไม่สำเร็จ ข้อมูลที่ส่งมีขนาดใหญ่เกินกำหนด กรุณากรอกรหัสติดตามเรื่องอีกครั้ง"), 413),
    "too_large_answer": (_("ส่งคำตอบไม่สำเร็จ เพราะคำตอบยาวเกินกำหนด (ไม่เกิน %(answer_chars)s ตัวอักษร)"
                           " คำตอบที่พิมพ์ไว้ไม่ได้เก็บไว้ กรุณากรอกรหัสติดตามเรื่อง แล้วตอบอีกครั้งให้สั้นลง"), 413),
    # In both languages: without the cookie the language chosen is not known, and cannot be chosen.
    "no_cookie": ("ส่งไม่สำเร็จ เพราะเบราว์เซอร์ไม่ได้ส่งคุกกี้ของเว็บไซต์นี้มาด้วย ระบบจึงยังไม่ได้รับสิ่งที่ท่านกรอก"
                  " หากเบราว์เซอร์ไม่รับคุกกี้ ให้อนุญาตคุกกี้ของเว็บไซต์นี้ก่อน แล้วกรอกอีกครั้ง"
                  " คุกกี้ของเว็บไซต์นี้ใช้ยืนยันว่าแบบฟอร์มส่งมาจากเว็บไซต์นี้ จำภาษาที่เลือก และแสดงใบรับเรื่องเท่านั้น"
                  " ไม่ได้ใช้ระบุหรือเก็บข้อมูลว่าท่านเป็นใคร"
                  " / Not sent: your browser did not send this site's cookie, and nothing you typed was received."
                  " If your browser blocks cookies, allow them for this site first, then fill the form in again."
                  " This site's cookies only confirm that a form was sent from this site, remember your language"
                  " and show your receipt; they do not identify you or record who you are", 400),
}


def session_salt() -> str:
    """This browser session's random salt, made on first use: drafts and marks are bound to it."""
    salt = session.get(_SALT)
    if salt is None:
        salt = session[_SALT] = secrets.token_urlsafe(12)
    return str(salt)


def _tag(path: str, reason: str) -> str:
    # Whoever reads the session cookie must not learn which page (the corruption form) a mark is
    # for, nor why: a keyed digest, tried against each reason when the page opens.
    message = b"|".join((b"refusal-mark", path.encode(), reason.encode(), session_salt().encode()))
    secret = current_app.secret_key
    key = secret.encode() if isinstance(secret, str) else bytes(secret or b"")
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:24]


def _has_session_cookie() -> bool:
    """Whether this request came with the session cookie (a browser that blocks it never does)."""
    return current_app.config["SESSION_COOKIE_NAME"] in request.cookies


# The refusals a browser without the cookie can meet besides its token's: the size of a body is
# checked before the token is, and allowing cookies alone would not get the same form through.
_ALSO_WITHOUT_COOKIE = frozenset({"too_large_form", "too_large_lookup", "too_large_answer"})


def _cookieless_address(path: str, reason: str) -> str:
    """``path`` for a browser without the session cookie, saying why on the page it opens (and
    ``reason`` too, when it is one a cookie would not have avoided)."""
    also = f"&{_ALSO}={reason}" if reason in _ALSO_WITHOUT_COOKIE else ""
    return f"{path}?{_COOKIES_OFF[0]}={_COOKIES_OFF[1]}{also}"


def mark_refusal(path: str, now: datetime, reason: str) -> None:
    """Have ``path``'s next GET in this session, within ``REFUSAL_TTL``, say ``reason`` (a key of
    ``REASONS``); a later mark replaces it."""
    if reason not in REASONS:
        raise KeyError(reason)
    session[_MARK] = [_tag(path, reason), (now + REFUSAL_TTL).isoformat()]


def _marked_reason(path: str, now: datetime) -> str | None:
    """The reason of this session's current mark for ``path``, or None (a lapsed mark is dropped)."""
    mark = session.get(_MARK)
    if mark is None:
        return None
    try:
        tag, until = mark
        current = datetime.fromisoformat(until) >= now
    except (TypeError, ValueError):
        current = False
    if not current:
        session.pop(_MARK)
        return None
    return next((reason for reason in REASONS if hmac.compare_digest(str(tag), _tag(path, reason))), None)


def clear_mark(path: str, now: datetime) -> None:
    """Drop this session's mark for ``path``: a newer refusal kept its words."""
    if _marked_reason(path, now) is not None:
        session.pop(_MARK)


def refuse_without_words(path: str, now: datetime, reason: str, anchor: str = ERROR_SUMMARY) -> Response:
    """A 303 to ``path`` (at ``anchor``), whose GET says ``reason``: marked in the session, or, for
    a browser that sent no session cookie (a mark would be lost with the cookie), in the address."""
    if not _has_session_cookie():
        return redirect(_cookieless_address(path, reason) + anchor, code=303)
    mark_refusal(path, now, reason)
    return redirect(path + anchor, code=303)


def take_mark(now: datetime) -> dict[str, Any] | None:
    """What this page must say of a wordless refusal, as a draft with no fields (its ``reason``
    set), removing the session's mark; None when there is none."""
    reason = _marked_reason(request.path, now)
    messages: list[str] = []
    if reason is not None:
        session.pop(_MARK)
        messages.append(reason_words(reason))
    elif request.args.get(_COOKIES_OFF[0]) == _COOKIES_OFF[1] and not _has_session_cookie():
        reason = "no_cookie"
        messages.append(REASONS[reason][0])
        also = request.args.get(_ALSO)
        if also in _ALSO_WITHOUT_COOKIE:
            # In both languages, as the cookie's message is: without the cookie none was chosen.
            messages.append(" / ".join(reason_words(also, lang) for lang in ("th", "en")))
    if reason is None:
        return None
    return {"fields": {}, "status": REASONS[reason][1], "errors": {}, "form_errors": messages,
            "contact_errors": [], "reason": reason}


def reason_words(reason: str, lang: str | None = None) -> str:
    """What ``reason`` (a key of ``REASONS``) says, in ``lang`` (else the page's language), with
    the stated limits."""
    with force_locale(lang) if lang else nullcontext():
        said = str(REASONS[reason][0])
    if reason.startswith("too_large"):
        said %= {name: f"{value:,}" for name, value in stated_limits().items()}
    return said
