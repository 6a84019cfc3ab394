"""The corruption channel keeps no IP address, user agent or referrer: not in the database, not in
the application's logs, not in the access log of ``complaints serve``. Pages load nothing from
another origin and carry a strict CSP."""
from __future__ import annotations

import hashlib
import http.cookiejar
import io
import logging
import re
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from flask import request
from sqlalchemy import select
from sqlalchemy.engine import make_url

from complaints.models import Category, SpentFormToken
from complaints.thaidate import BANGKOK
from complaints.web.context import get_store
from complaints.web.security import CSP
from complaints.web.serving import SERVER_REFUSALS
from tests.live_server import file_through_server, live_server, raw_exchange
from tests.web_helpers import (
    CLIENT_IP,
    CORRUPTION,
    REFERRER,
    USER_AGENT,
    GENERAL,
    category_id,
    client_for,
    post_form,
    tokens,
    unpadded,
)

NEEDLES = [CLIENT_IP.encode(), USER_AGENT.encode(), REFERRER.encode(), b"insider-pc-4711", b"secret-referrer-path"]


def _database_bytes(db_url: str, store) -> bytes:
    if db_url.startswith("sqlite"):
        store.engine.dispose()
        path = Path(make_url(db_url).database)
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    url = make_url(db_url)
    schema = url.query["options"].split("search_path=")[1]
    return subprocess.run(["pg_dump", "-h", url.host, "-U", url.username, "-n", schema, url.database],
                          check=True, capture_output=True).stdout


def test_corruption_filing_leaves_no_ip_agent_or_referrer(app, store, session, db_url, caplog):
    caplog.set_level(logging.DEBUG)
    client = client_for(app)
    response = post_form(client, "/corruption/new", {**CORRUPTION, "category": category_id(session, "corruption")})
    assert response.status_code == 303
    assert client.get("/receipt").status_code == 200
    session.close()
    raw = _database_bytes(db_url, store)
    assert b"CREATE TABLE" in raw or len(raw) > 10_000
    logs = "\n".join(f"{r.name} {r.getMessage()} {r.__dict__}" for r in caplog.records).encode()
    for needle in NEEDLES:
        assert needle not in raw, needle
        assert needle not in logs, needle


SERVERS = ["complaints", "gunicorn"]  # `complaints serve` (make run) and production's gunicorn
# A forwarded address as a proxy would add it; neither server may write it down.
FORWARDED = [("X-Forwarded-For", CLIENT_IP)]


def _addresses_only_where_it_listens(text: bytes) -> None:
    # The server names its own loopback address as a URL at start-up (and gunicorn's warning the
    # Redis one); the client, on loopback too, must appear nowhere else.
    for line in text.splitlines():
        assert b"127.0.0.1" not in re.sub(rb"(http|redis)://127\.0\.0\.1:\d+", b"", line), line


@pytest.mark.parametrize("server", SERVERS)
def test_serve_writes_no_request_lines_and_no_client_address(tmp_path, server):
    # Whatever collects the server's output (journald, Docker) stamps each line with its own
    # microsecond: a line written as a report arrives would date it.
    with live_server(tmp_path, server=server) as (base, log):
        file_through_server(base, FORWARDED)
    text = log.read_bytes()
    assert b"/corruption/new" not in text and b"/receipt" not in text
    assert b"code 400" in text  # the refused line is logged, by its status only
    for needle in NEEDLES + [b"127.0.0.1 -", b"('127.0.0.1'", b"ip=", b"CANARYCLICK", b"CANARYCODE"]:
        assert needle not in text, needle
    _addresses_only_where_it_listens(text)
    # Nor when: no line is dated to the second.
    assert not re.search(rb"\d\d:\d\d:\d\d", text)


@pytest.mark.parametrize("server", SERVERS)
def test_serve_access_log_when_asked_for_has_no_address_agent_query_or_time(tmp_path, server):
    with live_server(tmp_path, env_extra={"COMPLAINTS_SERVE_ACCESS_LOG": "true"}, server=server) as (base, log):
        file_through_server(base, FORWARDED)
    text = log.read_bytes()
    assert b'"POST /corruption/new" 303' in text  # the log is written, just without who sent it
    for needle in NEEDLES + [b"127.0.0.1 -", b"('127.0.0.1'", b"ip=", b"CANARYCLICK", b"CANARYCODE"]:
        assert needle not in text, needle
    _addresses_only_where_it_listens(text)
    # Nor when: the second of a corruption report would match the office network's own logs.
    line = next(x for x in text.decode().splitlines() if "POST /corruption/new" in x)
    assert not re.search(r"\d\d:\d\d:\d\d", line), line


@pytest.mark.parametrize("server", SERVERS)
def test_serve_refuses_what_it_cannot_read_with_a_bilingual_page_under_the_site_headers(tmp_path, server):
    # Python's and gunicorn's own refusals sent the request line back (as the status phrase, or in
    # the page), in an English page with no CSP, no nosniff and no cache rule.
    refused = {
        400: b"GET /corruption/new?code=CANARYCODE STORY HTTP/1.1\r\nHost: x\r\n\r\n",
        414: b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        431: b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Filler: y\r\n" * 120 + b"\r\n",
    }
    with live_server(tmp_path, server=server) as (base, log):
        replies = {code: raw_exchange(base, request) for code, request in refused.items()}
    assert b"CANARYCODE" not in log.read_bytes() and b"ip=" not in log.read_bytes()
    for code, reply in replies.items():
        head, _, body = reply.partition(b"\r\n\r\n")
        status, *lines = head.decode().split("\r\n")
        headers = dict(line.split(": ", 1) for line in lines)
        assert status.split(" ", 2)[1] == str(code), status
        assert "CANARYCODE" not in status and b"CANARYCODE" not in body and b"STORY" not in body
        assert headers["Content-Security-Policy"] == CSP and headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Cache-Control"] == "no-store" and headers["Content-Type"] == "text/html; charset=utf-8"
        assert int(headers["Content-Length"]) == len(body)
        page = body.decode()
        assert page.startswith("<!doctype html>") and '<html lang="th">' in page
        thai, english = SERVER_REFUSALS[code]
        assert thai in page and english in page


@pytest.mark.parametrize("server", SERVERS)
def test_a_malformed_chunked_report_is_refused_and_none_of_it_logged(tmp_path, server):
    # gunicorn raised InvalidChunkSize while Flask read the form, quoting the line it could not
    # parse (up to 8 KB of the body): logged as the application's own error, traceback and all.
    story = "description=CANARYSTORY+%E0%B8%97%E0%B8%B8%E0%B8%88%E0%B8%A3%E0%B8%B4%E0%B8%95&accused=CANARYACCUSED"
    bodies = [story.encode() + b"\r\n",  # not a chunk size at all
              b"5\r\nCANARYTAIL\r\n0\r\n\r\n",  # a chunk longer than it said
              b"0\r\nCANARY-Trailer(: v\r\n\r\n"]  # a trailer that is no header
    with live_server(tmp_path, server=server) as (base, log):
        replies = [raw_exchange(base, b"POST /corruption/new HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                b"Content-Type: application/x-www-form-urlencoded\r\n\r\n" + body)
                   for body in bodies]
    text = log.read_bytes()
    for reply in replies:
        assert reply.startswith(b"HTTP/1.1 400 ") or reply.startswith(b"HTTP/1.0 400 "), reply[:80]
        assert b"no-store" in reply.partition(b"\r\n\r\n")[0]
    assert b"CANARY" not in text and b"Traceback" not in text, text


def test_whatever_the_server_raises_while_the_body_is_read_is_a_quiet_400(app, caplog):
    # Any WSGI server: its parse errors may carry the bytes they could not parse.
    class ServerParseError(Exception):
        pass

    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise ServerParseError("Invalid chunk size: b'description=CANARYSTORY'")

    caplog.set_level(logging.DEBUG)
    response = app.test_client().post("/corruption/new", content_type="application/x-www-form-urlencoded",
                                      environ_overrides={"wsgi.input": Unreadable(), "wsgi.input_terminated": True})
    assert response.status_code == 400 and response.headers["Cache-Control"] == "no-store"
    assert "CANARYSTORY" not in caplog.text and not caplog.records


def test_an_error_while_filing_logs_where_it_happened_never_what_it_was_given(app, session, monkeypatch, caplog):
    # Flask logged the message too, and a message may quote its input: PostgreSQL's DETAIL gives a
    # row's values, a decoder the text it choked on. Here one quotes the report, through a cause.
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    words = CORRUPTION["description"]

    def choking(*_args, **_kwargs):
        try:
            raise UnicodeError(words)
        except UnicodeError as exc:
            raise ValueError(words[::-1]) from exc

    monkeypatch.setattr("complaints.web.filing.take_filing_slot", choking)
    client = client_for(app)
    body = {**tokens(client.get("/corruption/new").get_data(as_text=True)), **CORRUPTION,
            "category": str(category_id(session, "corruption"))}
    assert client.open("/corruption/new", method="POST", data=body).status_code in (303, 500)
    logged = caplog.text
    assert "Exception on /corruption/new [POST]" in logged and "choking" in logged  # where: the frames
    assert "builtins.ValueError (message not logged)" in logged and "builtins.UnicodeError" in logged
    assert words not in logged and words[::-1] not in logged


def test_an_error_while_an_error_is_handled_is_logged_without_messages_too(app, session, monkeypatch, caplog):
    # Flask logs a failing after_request hook on an error page through its own logger, not
    # log_exception: that path keeps the messages out as well.
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    words = CORRUPTION["description"]

    def choking(*_args, **_kwargs):
        raise ValueError(words)

    monkeypatch.setattr("complaints.web.filing.take_filing_slot", choking)

    def failing_hook(response):
        if request.method == "POST":  # the error's own answer (a redirect to the kept draft) fails too
            raise ValueError(words[::-1])
        return response

    app.after_request_funcs.setdefault(None, []).insert(0, failing_hook)
    client = client_for(app)
    body = {**tokens(client.get("/corruption/new").get_data(as_text=True)), **CORRUPTION,
            "category": str(category_id(session, "corruption"))}
    client.open("/corruption/new", method="POST", data=body)
    assert "Request finalizing failed with an error while handling an error" in caplog.text
    assert "builtins.ValueError (message not logged)" in caplog.text
    assert words not in caplog.text and words[::-1] not in caplog.text


def test_the_pages_of_both_channels_come_in_one_size(app, session):
    # Their sizes told them apart through TLS: the corruption form was 19 KB, the general one 13 KB.
    from complaints.web.padding import padded

    client = client_for(app)
    sizes = {path: len(client.get(path).get_data()) for path in
             ("/", "/general/new", "/corruption/new", "/guide/general", "/guide/corruption", "/track")}
    for channel, data in (("general", GENERAL), ("corruption", CORRUPTION)):
        assert post_form(client, f"/{channel}/new", {**data, "category": category_id(session, channel)}).status_code == 303
        sizes[f"receipt of {channel}"] = len(client.get("/receipt").get_data())
    assert set(sizes.values()) == {app.config["PAD_PAGES_TO"]}, sizes
    page = client.get("/corruption/new").get_data(as_text=True)
    assert page.rstrip().endswith("-->") and unpadded(page).rstrip().endswith("</html>")
    # A page a byte short of a block gets the next one: the comment needs room.
    assert len(padded(b"x" * 1023, 1024)) == 2048 and len(padded(b"x" * 1000, 1024)) == 1024
    # A page padded as if it were longer takes the blocks the longer one would, and no more.
    assert len(padded(b"x" * 900, 1024, as_if_longer=100)) == 1024
    assert len(padded(b"x" * 900, 1024, as_if_longer=200)) == 2048
    assert padded(b"x", 0) == b"x"
    # An empty answer tells nothing and stays empty: no 32 KB for each OPTIONS a scanner sends.
    assert client.options("/general/new").content_length == 0


def test_both_forms_stay_one_block_with_every_category_at_its_longest_examples(app, session):
    # The examples are listed on the forms and guides: at the longest an office can set (in both
    # languages, on the demo's 21 categories) the pages, refused forms too, still fit one block.
    for category in session.scalars(select(Category)):
        category.examples_th, category.examples_en = "ก" * 300, "x" * 300
    session.commit()
    get_store(app).orgs.invalidate()
    for lang in ("th", "en"):
        client = client_for(app)
        client.get(f"/lang/{lang}")
        sizes = {path: len(client.get(path).get_data())
                 for path in ("/general/new", "/corruption/new", "/guide/general", "/guide/corruption")}
        for channel in ("general", "corruption"):  # refused (no category): the form again, with its errors
            client.open(f"/{channel}/new", method="POST", data=tokens(client.get(f"/{channel}/new").get_data(as_text=True)))
            sizes[f"refused {channel}"] = len(client.get(f"/{channel}/new").get_data())
        assert set(sizes.values()) == {app.config["PAD_PAGES_TO"]}, (lang, sizes)


@pytest.mark.parametrize("lang", ["th", "en"])
def test_a_refused_form_with_the_same_words_is_the_same_size_on_either_channel(app, lang):
    # The corruption form is 5.5 KB longer blank (2 KB in English): 4,000 Thai characters (7,000
    # on the English page) took it into a second block and left the general one in its first, so
    # the size told which form came back. Each is refused for the same reason (no category), the
    # general one with its few required fields.
    block = app.config["PAD_PAGES_TO"]
    required = {"general": {"kind": "complaint", "name": "สมใจ", "phone": "081-000-0001", "subject": "ถนน",
                            "declaration": "y"},
                "corruption": {"kind": "tip"}}
    for length in (0, 4_000, 7_000, 10_000):
        words = "ก" * length or "x"
        sizes = {}
        for channel, fields in required.items():
            client = client_for(app)
            client.get(f"/lang/{lang}")
            body = {**tokens(client.get(f"/{channel}/new").get_data(as_text=True)), **fields, "description": words}
            client.open(f"/{channel}/new", method="POST", data=body)
            page = client.get(f"/{channel}/new").get_data()
            assert words.encode() in page and len(page) % block == 0
            sizes[channel] = len(page)
        assert sizes["general"] == sizes["corruption"], (length, sizes)


PAGES = ["/", "/general/new", "/corruption/new", "/guide/general", "/guide/corruption", "/receipt", "/track", "/nope"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_strict_csp_and_no_external_origin(app, path):
    response = app.test_client().get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "default-src 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY" and response.headers["Referrer-Policy"] == "no-referrer"
    html = response.get_data(as_text=True)
    assert not re.search(r"""(src|href|action)=["'](https?:)?//""", html), "external origin in page"
    assert "<script" not in html and " style=" not in html  # nothing the CSP would have to allow
    if response.status_code >= 400:  # 404 and 410 are cacheable by default
        assert response.headers["Cache-Control"] == "no-store"


def test_session_cookie_is_strict_and_http_only(app):
    response = app.test_client().get("/corruption/new")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert len(response.headers.getlist("Set-Cookie")) == 1  # the CSRF session cookie only


def test_corruption_form_says_what_is_removed_from_files_and_that_black_boxes_are_not(app):
    client = app.test_client()
    thai = client.get("/corruption/new").get_data(as_text=True)
    assert "ระบบลบข้อมูลแฝงในไฟล์" in thai and "แถบสีดำในไฟล์ PDF ยังอ่านได้" in thai
    # What the system does not keep, the office network may: insiders are told to use their own.
    assert "ผู้ให้บริการเครือข่ายหรืออินเทอร์เน็ตอาจบันทึกการเข้าใช้ไว้" in thai
    client.get("/lang/en?next=/")
    english = client.get("/corruption/new").get_data(as_text=True)
    assert "Hidden data in your files" in english and "black box in a PDF can still be read" in english


def test_a_spent_form_token_is_kept_keyed_unlinked_and_only_until_its_form_expires(app, session):
    client = client_for(app)
    form = tokens(client.get("/corruption/new").get_data(as_text=True))
    nonce = form["form_nonce"]
    before = datetime.now(timezone.utc)
    data = {**CORRUPTION, "category": category_id(session, "corruption"), **form}
    assert client.post("/corruption/new", data=data).status_code == 303
    spent = session.scalars(select(SpentFormToken)).one()
    session.rollback()
    # Keyed: a form page kept in a browser cannot be matched to the row without the server's key.
    assert spent.digest not in (hashlib.sha256(nonce.encode()).digest(), nonce.encode())
    limit = timedelta(seconds=app.config["WTF_CSRF_TIME_LIMIT"])
    # Kept past the form's CSRF lifetime, to a Bangkok midnight (so it gives the day only).
    assert before + limit < spent.expires_at <= before + limit + timedelta(days=2)
    local = spent.expires_at.astimezone(BANGKOK)
    assert (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)


@pytest.mark.parametrize("limit_hours", [1, 24, 30])
def test_a_spent_form_tokens_expiry_is_the_same_from_any_moment_of_the_day(app, limit_hours):
    # Counted from the moment plus the form's lifetime, a token spent at 22:59 and one spent at
    # 23:01 expired a day apart: the expiry told a report sent in the day's last hour.
    from complaints.web.receipts import spent_form_token

    app.config["WTF_CSRF_TIME_LIMIT"] = limit_hours * 3600
    day = datetime(2026, 11, 24, tzinfo=BANGKOK)
    moments = [day, day + timedelta(hours=22, minutes=59), day + timedelta(hours=23, minutes=1),
               day + timedelta(hours=23, minutes=59, seconds=59)]
    with app.test_request_context():
        expiries = {spent_form_token("n", moment.astimezone(timezone.utc)).keep_until for moment in moments}
    assert len(expiries) == 1
    until = expiries.pop()
    assert all(until >= moment + timedelta(hours=limit_hours) for moment in moments)


def test_the_access_log_day_is_bangkoks():
    # A server's UTC day changes at 07:00 in Bangkok: a log day unlike the case's would say the
    # report came before then.
    from datetime import datetime

    from complaints.thaidate import BANGKOK
    from complaints.web.serving import AddresslessRequestHandler

    handler = AddresslessRequestHandler.__new__(AddresslessRequestHandler)
    assert handler.log_date_time_string() == datetime.now(BANGKOK).strftime("%d/%b/%Y")



def _multipart(fields: dict[str, str], name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "complaints-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="{name}"\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_serve_logs_an_error_while_filing_a_report_with_the_day_only(tmp_path):
    # A full disk or a dropped database connection logs "Exception on /corruption/new" and a
    # traceback; Flask's own format put the millisecond beside it.
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(picture, "PNG")
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with live_server(tmp_path) as (base, log):
        blobs = tmp_path / "instance" / "blobs"
        shutil.rmtree(blobs, ignore_errors=True)
        blobs.write_bytes(b"")  # where the files go is broken
        form = opener.open(f"{base}/corruption/new", timeout=5).read().decode()
        fields = dict(re.findall(r'<input id="(csrf_token|form_nonce)" name="[^"]+" type="hidden" value="([^"]+)"', form))
        category = re.search(r'<option value="(\d+)"', form).group(1)
        body, kind = _multipart({**CORRUPTION, **fields, "category": category}, "photo.png", picture.getvalue())
        request = urllib.request.Request(f"{base}/corruption/new", data=body, headers={"Content-Type": kind})
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(request, timeout=10)
        assert refused.value.code == 500
    text = log.read_text(errors="replace")
    line = next(x for x in text.splitlines() if "Exception on /corruption/new" in x)
    assert line.startswith(f"[{datetime.now(BANGKOK):%Y-%m-%d}] ERROR"), line
    assert not re.search(r"\d\d:\d\d:\d\d", text), "a time of day in the log"


def test_the_csp_is_exactly_the_hand_written_one_and_production_asks_for_https(app, tmp_path):
    # Any loosening (an https: source, a missing form-action) shows as a difference.
    from complaints import create_app
    from complaints.web.security import CSP

    response = app.test_client().get("/corruption/new")
    assert response.headers["Content-Security-Policy"] == CSP
    # Written out in full: comparing with the module's own constant would follow any change to it.
    assert CSP == ("default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
                   "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
    assert "form-action 'self'" in CSP and not re.search(r"https?:|\*|unsafe", CSP)
    # A page this one opens (a link to an outside agency) gets no handle back on the report form.
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert '<meta name="referrer" content="no-referrer">' in response.get_data(as_text=True)
    production = create_app({"INSTANCE_PATH": str(tmp_path), "ENV_NAME": "production", "SECRET_KEY": "s" * 40,
                             "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1/nothing"})
    assert production.test_client().get("/lang/en").headers["Strict-Transport-Security"].startswith("max-age=")
