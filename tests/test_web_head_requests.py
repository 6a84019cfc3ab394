"""A HEAD request is safe (RFC 9110 §9.3.2): it changes nothing the GET after it would find.

Each page that shows something once (the receipt's code, its PDF offer, a refused form's words,
a refusal's mark) must still show it to the GET that follows a HEAD of the same page.
"""
from __future__ import annotations

from tests.test_web_drafts import NAME, STORY, _drafts, _refused_post
from tests.web_helpers import CODE, CORRUPTION, GENERAL, category_id, client_for, post_form, session_of

STALE = "แบบฟอร์มนี้เปิดค้างไว้นานเกินไป"


def test_a_head_of_the_receipt_leaves_the_code_for_the_page(app, session):
    client = client_for(app)
    assert post_form(client, "/corruption/new", {**CORRUPTION, "category": category_id(session, "corruption")}
                     ).status_code == 303
    probe = client.head("/receipt")
    assert probe.status_code == 200 and probe.headers["Cache-Control"] == "no-store"
    assert not any(c.startswith("receipt=") for c in probe.headers.getlist("Set-Cookie"))
    shown = client.get("/receipt")
    assert shown.status_code == 200 and CODE.search(shown.get_data(as_text=True))
    assert client.head("/receipt").status_code == 410  # the GET took it; HEAD answers as GET would


def test_a_head_of_another_page_leaves_the_receipts_pdf_offer(app, session):
    client = client_for(app)
    assert post_form(client, "/general/new", {**GENERAL, "category": category_id(session, "general")}
                     ).status_code == 303
    assert client.get("/receipt").status_code == 200
    offered = session_of(app, client).get("receipt_pdf")
    assert offered
    assert client.head("/track").status_code == 200
    assert session_of(app, client).get("receipt_pdf") == offered
    assert client.get("/track").status_code == 200  # leaving the page by a GET withdraws it
    assert "receipt_pdf" not in session_of(app, client)


def test_a_head_of_a_refused_form_leaves_its_words_for_the_page(app, session):
    client, refused = _refused_post(app, session, "general")
    assert refused.status_code == 303 and _drafts(session) == 1
    probe = client.head("/general/new")
    assert probe.status_code == 200
    assert not any(c.startswith("draft") for c in probe.headers.getlist("Set-Cookie"))  # not dropped
    assert _drafts(session) == 1
    shown = client.get("/general/new").get_data(as_text=True)
    assert STORY in shown and NAME in shown


def test_a_head_of_a_refused_form_leaves_its_mark_for_the_page(app, session):
    client = client_for(app)
    client.get("/corruption/new")
    forged = {**CORRUPTION, "category": category_id(session, "corruption"), "csrf_token": "forged"}
    assert client.open("/corruption/new", method="POST", data=forged).status_code == 303
    assert client.head("/corruption/new").status_code == 200
    shown = client.get("/corruption/new")
    assert shown.status_code == 400 and STALE in shown.get_data(as_text=True)
