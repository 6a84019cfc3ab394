"""Refusals decided before a filing view runs (an oversized request, an expired form, too many
tries) keep what was typed, and the limits behind them neither lock honest people out nor keep
anything that leads back to an address."""
from __future__ import annotations

import io
import multiprocessing
import time
from datetime import datetime, timezone

import pytest
from itsdangerous import TimestampSigner

from complaints import create_app
from complaints.web import limits
from complaints.web.receipts import consume_nonce, issue_nonce, put_receipt
from tests.concurrency import run_in_threads
from tests.test_web_bad_input import _png
from tests.web_helpers import CORRUPTION, GENERAL, category_id, client_for, counts, post_form, tokens


def test_filing_over_https_with_no_referrer_goes_through(app, session):
    # Browsers send no Referer under our Referrer-Policy; Flask-WTF's HTTPS check wanted one.
    client = app.test_client()
    page = client.get("/corruption/new", base_url="https://localhost").get_data(as_text=True)
    data = {**CORRUPTION, "category": category_id(session, "corruption"), **tokens(page)}
    response = client.post("/corruption/new", data=data, base_url="https://localhost",
                           headers={"Origin": "null"})
    assert response.status_code == 303


def test_a_video_sent_by_mistake_is_refused_on_the_form_with_the_text_kept(app, session):
    # 60 MB is above five full files: before, the whole request was refused unread (413).
    client = client_for(app)
    before = counts(session)
    response = post_form(client, "/corruption/new", {**CORRUPTION, "category": category_id(session, "corruption")},
                         [("clip.pdf", b"%PDF-" + b"\0" * (60 * 1024 * 1024))])
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "clip.pdf" in html and "ใหญ่เกินกำหนด" in html
    assert "ใหญ่เกินกำหนด (10 MB)" in html  # the figure the form's hint gives, in its unit
    assert CORRUPTION["description"] in html and CORRUPTION["accused"] in html
    assert counts(session) == before


def test_each_file_part_keeps_no_more_than_its_limit_and_extra_parts_keep_nothing(app):
    app.config.update(MAX_ATTACHMENT_BYTES=1000, MAX_ATTACHMENTS=2)
    files = [(io.BytesIO(b"x" * 300_000), f"{i}.pdf") for i in range(3)]
    with app.test_request_context("/general/new", method="POST", data={"attachments": files}):
        from flask import request
        kept = [len(f.stream.read()) for f in request.files.getlist("attachments")]
    assert kept == [1001, 1001, 0]


def test_a_request_over_the_cap_says_the_limits(app, session):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = post_form(client_for(app), "/general/new", {**GENERAL, "category": category_id(session, "general")},
                         [("big.pdf", b"%PDF-" + b"x" * 20_000)])
    html = response.get_data(as_text=True)
    assert response.status_code == 413 and "ไม่เกิน 5 ไฟล์" in html and "10 MB" in html
    assert 'id="filing-form"' in html  # on the form, to start again there


@pytest.mark.parametrize("channel", ["general", "corruption"])
def test_a_request_too_large_to_read_leaves_its_post_by_a_redirect_to_the_form(app, session, channel):
    # Its body (a report's words) must not stay in a history entry, as a page answered to the
    # POST would leave it; nothing of it was read, so the form comes back empty, saying why.
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    client = client_for(app)
    page = client.get(f"/{channel}/new").get_data(as_text=True)
    base = CORRUPTION if channel == "corruption" else GENERAL
    data = {**base, **tokens(page), "category": category_id(session, channel),
            "attachments": [(io.BytesIO(b"%PDF-" + b"x" * 20_000), "big.pdf")]}
    before = counts(session)
    refused = client.open(f"/{channel}/new", method="POST", data=data, content_type="multipart/form-data")
    assert refused.status_code == 303 and refused.location == f"/{channel}/new#error-summary"
    assert base["description"] not in refused.get_data(as_text=True)
    shown = client.get(f"/{channel}/new")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 413 and "ใหญ่เกินกำหนด" in html and "ไม่เกิน 10,000 ตัวอักษร" in html
    assert "ไม่เกิน 5 ไฟล์ ไฟล์ละไม่เกิน 10 MB" in html and 'id="filing-form"' in html
    assert counts(session) == before
    assert client.get(f"/{channel}/new").status_code == 200  # said once


def test_a_request_too_large_to_read_is_said_in_english_with_the_limits(app, session):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    client = client_for(app)
    client.get("/lang/en?next=/general/new")
    response = post_form(client, "/general/new", {"attachments": [(io.BytesIO(b"x" * 20_000), "big.pdf")]})
    html = response.get_data(as_text=True)
    assert response.status_code == 413 and "because what was sent is too large" in html
    assert "at most 10,000 characters, with at most 5 files of at most 10 MB each" in html


def test_an_answer_too_large_to_read_goes_back_to_the_lookup_saying_so(app, session):
    client = client_for(app)
    client.get("/track")
    refused = client.open("/track/answer", method="POST", data={"code": "AAAA-AAAA-AAAA-AAAA",
                                                               "message": "ก" * (300 * 1024)})
    assert refused.status_code == 303 and refused.location == "/track#error-summary"
    shown = client.get("/track")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 413 and "คำตอบยาวเกินกำหนด (ไม่เกิน 10,000 ตัวอักษร)" in html


def test_a_browser_that_blocks_cookies_and_sent_too_much_is_told_both_at_once(app, session):
    # The size is checked before the token: told only of the cookie, the reporter would allow it,
    # send the same files, and only then learn of the limits.
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    cookieless = app.test_client(use_cookies=False)
    data = {**CORRUPTION, "category": category_id(session, "corruption"),
            "attachments": [(io.BytesIO(b"%PDF-" + b"x" * 20_000), "big.pdf")]}
    before = counts(session)
    refused = cookieless.open("/corruption/new", method="POST", data=data, content_type="multipart/form-data")
    assert refused.status_code == 303
    assert refused.location == "/corruption/new?cookies=off&also=too_large_form#error-summary"
    html = cookieless.get(refused.location.partition("#")[0]).get_data(as_text=True)
    assert "ไม่ได้ส่งคุกกี้ของเว็บไซต์นี้" in html and "allow them for this site first" in html
    # Without the cookie no language was chosen: the limits in both, the English marked so.
    assert "ใหญ่เกินกำหนด" in html and "ไม่เกิน 5 ไฟล์ ไฟล์ละไม่เกิน 10 MB" in html
    assert '<span lang="en">Not sent: your report has not been sent, because what was sent is too large' in html
    assert "at most 10,000 characters, with at most 5 files of at most 10 MB each" in html
    assert CORRUPTION["description"] not in html and counts(session) == before
    # The address says nothing of the size to a browser that sends its cookie.
    client = client_for(app)
    client.get("/general/new")
    plain = client.get("/corruption/new?cookies=off&also=too_large_form").get_data(as_text=True)
    assert "ใหญ่เกินกำหนด" not in plain and "คุกกี้ของเว็บไซต์นี้มาด้วย" not in plain


def test_a_cookieless_answer_too_large_is_told_of_its_length_and_the_cookie(app):
    cookieless = app.test_client(use_cookies=False)
    refused = cookieless.open("/track/answer", method="POST", data={"code": "AAAA-AAAA-AAAA-AAAA",
                                                                   "message": "ก" * (300 * 1024)})
    assert refused.location == "/track?cookies=off&also=too_large_answer#error-summary"
    html = cookieless.get(refused.location.partition("#")[0]).get_data(as_text=True)
    assert "ไม่ได้ส่งคุกกี้ของเว็บไซต์นี้" in html and "คำตอบยาวเกินกำหนด (ไม่เกิน 10,000 ตัวอักษร)" in html
    # Only a size refusal rides in the address: any other name there is not believed.
    other = cookieless.get("/track?cookies=off&also=failed_answer").get_data(as_text=True)
    assert "ไม่ได้ส่งคุกกี้ของเว็บไซต์นี้" in other and "ระบบขัดข้อง" not in other


def test_other_requests_too_large_still_get_the_error_page(app):
    # A POST with no form page to go back to (the receipt's PDF download) is answered as before.
    response = app.test_client().post("/receipt.pdf", data="x" * (2 * 1024 * 1024),
                                      content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413 and "ใหญ่เกินกำหนด" in response.get_data(as_text=True)


def test_a_form_left_open_over_a_working_day_is_still_sent_with_its_files(app, session, monkeypatch):
    # WCAG 2.2.1: no time limit under 20 hours. A whistleblower who writes in the morning and
    # fetches a document after work must not lose the files attached.
    client = client_for(app)
    page = client.get("/corruption/new").get_data(as_text=True)
    next_morning = int(time.time()) + 20 * 3600 + 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _self: next_morning)
    data = {**CORRUPTION, "category": category_id(session, "corruption"), **tokens(page),
            "attachments": [(io.BytesIO(_png()), "slip.png")]}
    response = client.post("/corruption/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    assert counts(session)["attachment"] == 1


def test_a_form_left_open_too_long_comes_back_filled_in_and_can_be_sent(app, session, monkeypatch):
    client = client_for(app)
    data = {**CORRUPTION, "category": category_id(session, "corruption")}
    page = client.get("/corruption/new").get_data(as_text=True)
    too_late = int(time.time()) + app.config["WTF_CSRF_TIME_LIMIT"] + 60
    with monkeypatch.context() as later:
        later.setattr(TimestampSigner, "get_timestamp", lambda _self: too_late)
        response = client.post("/corruption/new", data={**data, **tokens(page)})
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and "เปิดไว้นานเกินกำหนด" in html
        assert CORRUPTION["description"] in html and CORRUPTION["evidence"] in html
        assert client.post("/corruption/new", data={**data, **tokens(html)}).status_code == 303


def test_an_expired_token_of_another_session_gets_no_filled_in_form(app, session, monkeypatch):
    # Flask-WTF reports "expired" before it compares the token with the session's: someone's own
    # old token, posted with their words into another browser, must not come back filled in there.
    attacker, victim = client_for(app), client_for(app)
    old = tokens(attacker.get("/corruption/new").get_data(as_text=True))
    victim.get("/corruption/new")
    later = int(time.time()) + app.config["WTF_CSRF_TIME_LIMIT"] + 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _self: later)
    data = {**CORRUPTION, "category": category_id(session, "corruption"), **old}
    response = victim.post("/corruption/new", data=data)
    assert response.status_code == 400 and CORRUPTION["description"] not in response.get_data(as_text=True)


def test_text_cannot_fill_memory_under_the_large_request_cap(app, session):
    # The 200 MB cap is for files, each kept only up to its limit; text is held in memory.
    client = client_for(app)
    client.get("/corruption/new")  # a session, as a browser that opened the form has
    many_parts = {f"field{i}": "x" * 1000 for i in range(60)}
    assert client.post("/corruption/new", data=many_parts, content_type="multipart/form-data").status_code == 413
    one_big_part = {"description": "x" * (300 * 1024)}
    pasted = client.post("/corruption/new", data=one_big_part, content_type="multipart/form-data")
    # A long document pasted whole: the page names the text's limit, not only the files'.
    assert pasted.status_code == 413 and "รายละเอียดยาวได้ไม่เกิน 10,000 ตัวอักษร" in pasted.get_data(as_text=True)
    plain = "description=" + "x" * (2 * 1024 * 1024)  # not multipart: read whole
    assert client.post("/corruption/new", data=plain,
                       content_type="application/x-www-form-urlencoded").status_code == 413


def test_a_forged_token_still_gets_no_filled_in_form(app, session):
    client = client_for(app)
    data = {**CORRUPTION, "category": category_id(session, "corruption"), "csrf_token": "forged"}
    response = client.post("/corruption/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and CORRUPTION["description"] not in html


def test_too_many_tries_come_back_filled_in(app, session):
    app.config["FILING_ATTEMPT_LIMIT"] = "2 per day"
    client = client_for(app)
    data = {**GENERAL, "category": category_id(session, "general"), "declaration": ""}  # refused each time
    statuses = [post_form(client, "/general/new", data).status_code for _ in range(2)]
    response = post_form(client, "/general/new", data)
    html = response.get_data(as_text=True)
    assert statuses == [400, 400] and response.status_code == 429
    assert "ส่งบ่อยเกินไป" in html and GENERAL["description"] in html
    # Without this site's token the limit is never reached: no form filled in by whoever posted it.
    forged = client.post("/general/new", data={**data, "csrf_token": "forged"})
    assert forged.status_code == 400 and GENERAL["description"] not in forged.get_data(as_text=True)


def test_every_try_on_the_corruption_form_is_bounded_too(app, session):
    app.config["FILING_ATTEMPT_LIMIT"] = "2 per day"
    client = client_for(app)
    data = {**CORRUPTION, "category": category_id(session, "corruption"), "description": ""}  # refused
    statuses = [post_form(client, "/corruption/new", data).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]


def test_a_one_time_token_this_session_never_issued_is_refused(app, session):
    client = client_for(app)
    page = client.get("/corruption/new").get_data(as_text=True)
    data = {**CORRUPTION, "category": category_id(session, "corruption"), **tokens(page), "form_nonce": "made-up"}
    response = client.post("/corruption/new", data=data)
    assert response.status_code == 409 and counts(session)["case"] == 0


def test_a_one_time_token_is_good_once_within_its_session(app):
    # The session's own list stops a replay before the database is asked; the spent-token table
    # is the second line, for a replay that carries an older cookie.
    with app.test_request_context("/general/new"):
        nonce = issue_nonce()
        assert [consume_nonce(nonce), consume_nonce(nonce)] == [True, False]
        assert consume_nonce(issue_nonce()) and not consume_nonce(None)


def test_refused_tries_do_not_use_up_the_filing_limit(app, session):
    app.config["FILING_RATE_LIMIT"] = "1 per day"
    client = client_for(app)
    good = {**CORRUPTION, "category": category_id(session, "corruption")}
    refused = [post_form(client, "/corruption/new", {**good, "description": ""}).status_code for _ in range(3)]
    assert refused == [400, 400, 400]
    assert post_form(client, "/corruption/new", good).status_code == 303
    assert post_form(client, "/corruption/new", good).status_code == 429


def test_filings_sent_at_once_get_no_more_slots_than_the_limit(app, session):
    # A limit checked before the view and counted after the response let 20 at once through.
    app.config["FILING_RATE_LIMIT"] = "3 per day"
    data = {**CORRUPTION, "category": category_id(session, "corruption")}
    ready = []
    for _ in range(8):  # each its own browser, all from one address
        client = client_for(app)
        ready.append((client, {**data, **tokens(client.get("/corruption/new").get_data(as_text=True))}))
    statuses: list[int] = []

    def send() -> None:
        client, form = ready.pop()
        statuses.append(client.post("/corruption/new", data=form).status_code)

    run_in_threads(send, 8, timeout=60)
    assert sorted(statuses) == [303] * 3 + [429] * 5
    assert counts(session)["case"] == 3  # the refused ones rolled back


def test_a_filing_refused_by_one_window_uses_no_other(app, session):
    # "3 per day; 1 per second": the second and third filings of a burst are refused by the second
    # and must not use up the day, so one more a second later still goes through.
    app.config["FILING_RATE_LIMIT"] = "3 per day;1 per second"
    client = client_for(app)
    data = {**CORRUPTION, "category": category_id(session, "corruption")}
    time.sleep(1.01 - time.time() % 1)  # windows end on the second: start the burst just after one
    burst = [post_form(client, "/corruption/new", data).status_code for _ in range(3)]
    time.sleep(1.01 - time.time() % 1)
    assert burst == [303, 429, 429] and post_form(client, "/corruption/new", data).status_code == 303


def test_with_the_limiter_switched_off_filing_still_works(tmp_path, db_url, session):
    from tests.conftest import make_test_app

    app = make_test_app(tmp_path / "unlimited", db_url, RATELIMIT_ENABLED=False, FILING_RATE_LIMIT="1 per day")
    data = {**CORRUPTION, "category": category_id(session, "corruption")}
    assert [post_form(client_for(app), "/corruption/new", data).status_code for _ in range(2)] == [303, 303]


def test_the_limiters_pseudonym_cannot_be_made_again_from_the_instance(app, monkeypatch):
    # A key derived from SECRET_KEY could be turned back into an address by trying an office's
    # network; the salt lives in the process only. Keys also differ per route (channel).
    def key(path: str) -> str:
        with app.test_request_context(path, method="POST", environ_base={"REMOTE_ADDR": "10.20.31.47"}):
            from flask import request
            request.url_rule = app.url_map.bind("localhost").match(path, method="POST", return_rule=True)[0]
            request.view_args = {}
            return limits.anonymous_client_key()

    first = key("/corruption/new")
    assert "10.20.31.47" not in first and first == key("/corruption/new") and first != key("/general/new")
    monkeypatch.setattr(limits, "_seed", b"another process")  # a restart, same instance folder
    assert key("/corruption/new") != first


def _salt_in_a_child(queue) -> None:
    queue.put(limits._todays_salt())


def test_workers_forked_from_one_master_count_under_one_salt():
    # gunicorn --preload imports the app once in the master and forks its workers: they must key
    # a client alike, or each would enforce the limits on its own.
    fork = multiprocessing.get_context("fork")
    queue = fork.Queue()
    worker = fork.Process(target=_salt_in_a_child, args=(queue,))
    worker.start()
    assert queue.get(timeout=30) == limits._todays_salt()
    worker.join(timeout=30)


@pytest.mark.parametrize("proxies, statuses", [(0, [400, 429]), (1, [400, 400])])
def test_behind_a_trusted_proxy_each_client_has_its_own_limit(tmp_path, db_url, session, proxies, statuses):
    from tests.conftest import make_test_app

    app = make_test_app(tmp_path / "proxied", db_url, FILING_ATTEMPT_LIMIT="1 per day", TRUSTED_PROXIES=proxies)
    client = app.test_client()
    data = {**GENERAL, "category": category_id(session, "general"), "declaration": ""}
    seen = []
    for address in ("198.51.100.1", "198.51.100.2"):
        client.environ_base["HTTP_X_FORWARDED_FOR"] = address
        seen.append(post_form(client, "/general/new", data).status_code)
    assert seen == statuses


def test_production_session_cookie_is_secure(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "ENV_NAME": "production", "SECRET_KEY": "s" * 40,
                      "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1/nothing"})
    cookie = app.test_client().get("/lang/en").headers["Set-Cookie"]
    assert "; Secure" in cookie and cookie.startswith("__Host-session=") and "; Path=/;" in cookie
    assert "Domain=" not in cookie
    # The receipt's own cookie: __Host- would need the path /, so __Secure- with the receipt's path.
    with app.test_request_context("/general/new", method="POST"):
        put_receipt({"code": "X"}, datetime.now(timezone.utc))
        cookies = app.process_response(app.make_response("")).headers.getlist("Set-Cookie")
    receipt = next(c for c in cookies if "receipt=" in c)
    assert receipt.startswith("__Secure-receipt=") and "; Secure" in receipt and "; Path=/receipt" in receipt


@pytest.mark.parametrize("lang, heading", [("th", "เปิดหน้านี้ด้วยวิธีนี้ไม่ได้"), ("en", "This page cannot be opened this way")])
def test_wrong_method_gets_a_page_in_the_chosen_language(app, lang, heading):
    client = app.test_client()
    client.get(f"/lang/{lang}")
    response = client.put("/general/new")
    assert response.status_code == 405 and f"<h1>{heading}</h1>" in response.get_data(as_text=True)


def test_the_limiters_salt_changes_with_the_day(monkeypatch):
    # A fixed salt would let counters from different days be joined into one client's history.
    from datetime import datetime as real_datetime

    class Day(real_datetime):
        today = real_datetime(2026, 11, 23, 12, 0)

        @classmethod
        def now(cls, tz=None):
            return cls.today.replace(tzinfo=tz)

    monkeypatch.setattr(limits, "datetime", Day)
    first = limits._todays_salt()
    Day.today = real_datetime(2026, 11, 24, 12, 0)
    assert limits._todays_salt() != first
    # The day is Bangkok's, as the daily windows' ends are: the key holds from 00:00 to 23:59
    # there (17:00 to 16:59 UTC), and does not change at 07:00 Bangkok (UTC midnight).
    Day.today = real_datetime(2026, 11, 24, 17, 1)  # UTC: 00:01 on the 25th in Bangkok
    bangkok_25th = limits._todays_salt()
    Day.today = real_datetime(2026, 11, 25, 0, 30)  # UTC: 07:30 on the 25th in Bangkok
    assert limits._todays_salt() == bangkok_25th
    Day.today = real_datetime(2026, 11, 24, 16, 59)  # UTC: 23:59 on the 24th in Bangkok
    assert limits._todays_salt() != bangkok_25th


def test_an_ipv6_client_is_counted_by_its_64_not_each_address():
    # One subscriber holds 2^64 addresses; rotating through them must not reset the limits.
    assert limits.client_network("2001:db8:1:2::5") == limits.client_network("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert limits.client_network("2001:db8:1:3::5") != limits.client_network("2001:db8:1:2::5")
    assert limits.client_network("::ffff:198.51.100.7") == limits.client_network("198.51.100.7") == "198.51.100.7"
    assert limits.client_network("198.51.100.8") != limits.client_network("198.51.100.7")


def test_a_receipt_left_half_an_hour_is_gone(app, session, monkeypatch):
    from datetime import timedelta

    from complaints.web import receipt_pages

    client = client_for(app)
    assert post_form(client, "/corruption/new", {**CORRUPTION, "category": category_id(session, "corruption")}
                     ).status_code == 303
    later = receipt_pages.utcnow() + timedelta(minutes=31)
    monkeypatch.setattr(receipt_pages, "utcnow", lambda: later)
    assert client.get("/receipt").status_code == 410


def test_the_limiters_counters_do_not_name_the_channel(app, session):
    # With Redis persistence a dump keeps each counter until its window ends: a key naming the
    # route would say a corruption report was tried in that minute.
    from complaints.web.limits import limiter

    data = {**CORRUPTION, "category": category_id(session, "corruption")}
    assert post_form(client_for(app), "/corruption/new", data).status_code == 303
    keys = [str(key) for key in limiter.storage.storage]
    assert keys and any("filing-attempt" in key for key in keys)
    assert not any("corruption" in key or "general" in key for key in keys), keys
    # Still counted apart: the corruption form's tries do not use up the general form's.
    app.config["FILING_ATTEMPT_LIMIT"] = "1 per day"
    client = client_for(app)
    assert post_form(client, "/corruption/new", {**data, "description": ""}).status_code == 400
    assert post_form(client, "/corruption/new", {**data, "description": ""}).status_code == 429
    general = {**GENERAL, "category": category_id(session, "general"), "declaration": ""}
    assert post_form(client, "/general/new", general).status_code == 400
