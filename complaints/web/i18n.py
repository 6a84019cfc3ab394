"""Thai first, English second: locale choice, Babel set-up and date filters for templates.

Message ids are the Thai text itself, so a page is Thai even with no catalog; the English
catalog lives in ``web/translations``. The chosen language is kept in the session cookie (the same
cookie that carries the CSRF token, so no extra cookie is set on any channel).
"""
from __future__ import annotations

import posixpath
import re
from datetime import date, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import Blueprint, Flask, has_request_context, redirect, request, session, url_for
from flask_babel import Babel, refresh
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from complaints import thaidate
from complaints.workflow import states
from complaints.workflow.guidelines import Step
from complaints.workflow.phones import quoting_phone, without_label

LANGUAGES = ("th", "en")
bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """The session's language, else Thai."""
    lang = session.get("lang")
    return lang if lang in LANGUAGES else "th"


def current_lang() -> str:
    """The language of the current request (Thai outside one).

    It is what Babel's locale selector returns; read here without building a Babel locale,
    which a filing POST (which renders nothing) would otherwise parse only for this.
    """
    return select_locale() if has_request_context() else "th"


@pass_context
def be_date(context: Context, value: date | datetime | None, style: str = "long") -> str:
    """A date in Buddhist Era, in Thai digits where the page's organization writes them so;
    English pages write the era as official English does ("24 November B.E. 2569 (2026)"), the CE
    year after it for a foreign reader."""
    if value is None:
        return "-"
    if current_lang() == "en":
        return _english_day(thaidate.local_date(value) if isinstance(value, datetime) else value)
    return thaidate.format_date(value, style=style, thai_digits=_thai_digits(context))


@pass_context
def be_datetime(context: Context, value: datetime) -> str:
    """A date and Bangkok time of day: "24 พฤศจิกายน 2569 เวลา 09.15 น." or, in English,
    "24 November B.E. 2569 (2026), 09:15"."""
    local = thaidate.to_bangkok(value)
    if current_lang() == "en":
        return f"{_english_day(local.date())}, {local:%H:%M}"
    return thaidate.format_datetime(value, thai_digits=_thai_digits(context))


def _english_day(day: date) -> str:
    return f"{day.day} {day:%B} B.E. {thaidate.be_year(day)} ({day.year})"


def _thai_digits(context: Context) -> bool:
    return bool(getattr(context.get("org"), "thai_digits", False))


def _as_browsers_read(path: str) -> str:
    # A browser resolves "." and ".." segments, written plainly or as %2e, before it asks:
    # "/./receipt" and "/x/%2e%2e/receipt" are the receipt.
    return posixpath.normpath(unquote(path)) if path else path


def choose_language(code: str) -> None:
    """Make ``code`` the browser's language, this request's messages included; an unknown code
    changes nothing."""
    if code in LANGUAGES:
        session["lang"] = code
        refresh()


@bp.get("/lang/<code>")
def switch(code: str) -> Response:
    """Switch language and go back to a same-site path (never to another origin)."""
    choose_language(code)
    target = request.args.get("next", "/")
    parts = urlsplit(target)
    # urlsplit drops tabs and line breaks before parsing; the Location header would not.
    unprintable = any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target)
    if unprintable or parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        target = "/"
    elif _as_browsers_read(parts.path).rstrip("/") == url_for("receipt.page"):
        # Shown once: a switch (a link from another site, say) must not be what uses it up.
        target = "/"
    return redirect(target)


# Words a line break would turn into their opposite: "ประพฤติมิ / ชอบ" leaves "ชอบ" (proper) alone
# on the next line of a heading, and ประพฤติชอบ and ประพฤติมิชอบ must not be confused. A promise
# split after its "ไม่" (not) leaves "บังคับระบุชื่อ" (name required) to start the next line.
_UNBREAKABLE = ("ประพฤติมิชอบ", "ไม่บังคับ", "ไม่บันทึก", "ไม่เก็บ", "ไม่ต้อง", "ไม่รับไว้พิจารณา")
_UNBREAKABLE_RE = re.compile("|".join(map(re.escape, sorted(_UNBREAKABLE, key=len, reverse=True))))
# "0 4500 0000": a phone number broken across lines gets dialled without its end.
_DIGIT_GAP = re.compile(r"(?<=\d) (?=\d)")


# Thai words, with the spaces, digits and punctuation between them: an office's address or a
# unit's name that an English page quotes as the organization wrote it.
_THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+(?:[ \u00a0.,:/()0-9-]+[\u0e00-\u0e7f]+)*")


def unbroken(text: str) -> Markup:
    """``text``, escaped, with words that must not be split across lines and the digit groups of
    a number kept on one line; on an English page, its Thai words are marked ``lang="th"`` so a
    screen reader does not spell them with English sounds (WCAG 3.1.2)."""
    html = _DIGIT_GAP.sub("\u00a0", str(escape(text)))
    if current_lang() == "en":
        html = _THAI_RUN.sub(lambda m: f'<span lang="th">{m[0]}</span>', html)
    return Markup(_UNBREAKABLE_RE.sub(lambda m: f'<span class="nowrap">{m[0]}</span>', html))


def step_text(step: Step) -> Markup:
    """A line of a guide or privacy notice in the page's language, as ``unbroken`` writes it, with
    the number it gives to call made a ``tel:`` link: one tap to call from a phone."""
    en, dial = current_lang() == "en", step.dial
    text = step.en if en else step.th
    if dial is None:
        return unbroken(text)
    at, shown = (dial.en_at, dial.en) if en else (dial.th_at, dial.th)
    if text[at:at + len(shown)] != shown:  # not where the step says: no link rather than a wrong one
        return unbroken(text)
    link = Markup('<a href="tel:{}">{}</a>').format(dial.number, unbroken(shown))
    return unbroken(text[:at]) + link + unbroken(text[at + len(shown):])


def phone_link(phone: str) -> Markup:
    """A phone setting after the "โทร" (phone) a page writes itself: without the one it may start
    with, in the page's language, its first number a ``tel:`` link."""
    return step_text(Step(*quoting_phone(("", ""), ("", ""), without_label(phone))))


# The rules' messages (a refused filing or file) come as "Thai / English" on pages in either
# language. The half that is not the page's own is marked with its language, so a screen reader
# speaks it in the right voice instead of spelling English with Thai sounds (WCAG 3.1.2). The
# split is at the first " / ": a file's name quoted in a message never holds a "/" (uploads strip
# any directory part), so it cannot move the split.
_THAI_THEN_ENGLISH = re.compile(r"\A(?P<th>.*?[\u0e00-\u0e7f].*?) / (?P<en>[A-Za-z].*)\Z", re.S)


def in_both_languages(message: str) -> Markup:
    """``message``, escaped; a "Thai / English" one with the page's language first and the other
    half marked ``lang``, any other as it is."""
    parts = _THAI_THEN_ENGLISH.match(str(message))
    if parts is None:
        return escape(message)
    th, en = escape(parts["th"]), escape(parts["en"])
    if current_lang() == "en":
        return Markup(f'{en} / <span lang="th">{th}</span>')
    return Markup(f'{th} / <span lang="en">{en}</span>')


def register_i18n(app: Flask) -> None:
    """Babel with the package's catalogs, the language switch and the date filters."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "th")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Asia/Bangkok")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(Path(__file__).parent / "translations")
    Babel(app, locale_selector=select_locale)
    app.register_blueprint(bp)
    app.jinja_env.filters["be_date"] = be_date
    app.jinja_env.filters["be_datetime"] = be_datetime
    app.jinja_env.filters["unbroken"] = unbroken
    app.jinja_env.filters["step_text"] = step_text
    app.jinja_env.filters["phone_link"] = phone_link
    app.jinja_env.filters["in_both_languages"] = in_both_languages
    app.jinja_env.globals["current_lang"] = current_lang
    app.jinja_env.globals["state_label"] = lambda code: states.label(code, current_lang())
    app.jinja_env.globals["state_meaning"] = lambda code: states.meaning(code, current_lang())
