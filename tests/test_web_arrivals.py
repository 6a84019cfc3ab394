"""Arriving from another site must not replace the visitor's session (SameSite=Strict keeps the
cookie from such a navigation, and a form page would answer with a new session)."""
from __future__ import annotations

import pytest

from tests.web_helpers import GENERAL, category_id, client_for, post_form, tokens

CROSS_SITE = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}


@pytest.mark.parametrize("path", ["/", "/general/new", "/corruption/new", "/guide/corruption", "/lang/en?next=/"])
def test_a_cookieless_arrival_from_another_site_gets_a_self_reloading_page_that_sets_nothing(app, path):
    response = app.test_client().get(path, headers=CROSS_SITE)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert '<meta http-equiv="refresh" content="0">' in html and '<a href="">' in html
    assert 'name="csrf_token"' not in html and response.headers["Cache-Control"] == "no-store"


def test_the_same_page_from_this_site_or_typed_in_is_served_as_usual(app):
    client = app.test_client()
    for site in ("same-origin", "same-site", "none"):
        page = client.get("/general/new", headers={**CROSS_SITE, "Sec-Fetch-Site": site}).get_data(as_text=True)
        assert 'name="csrf_token"' in page, site
    # A browser without Fetch Metadata, and one that sent its cookie (a Lax deployment), too.
    assert 'name="csrf_token"' in app.test_client().get("/general/new").get_data(as_text=True)
    assert 'name="csrf_token"' in client.get("/general/new", headers=CROSS_SITE).get_data(as_text=True)


def test_a_form_typed_in_survives_a_visit_from_another_site(app, session):
    # The draft's tokens belong to the session; an arrival from elsewhere must leave it alone.
    client = client_for(app)
    form = tokens(client.get("/general/new").get_data(as_text=True))
    own = client.get_cookie("session").value
    # As a browser does it: the Strict cookie is withheld from the navigation, but whatever cookie
    # the answer sets replaces it.
    client.delete_cookie("session")
    client.get("/lang/th?next=/", headers=CROSS_SITE)
    if client.get_cookie("session") is None:
        client.set_cookie("session", own)
    data = {**GENERAL, "category": category_id(session, "general"), **form}
    assert client.post("/general/new", data=data).status_code == 303


def test_the_receipt_is_not_reloaded_for_another_site(app, session):
    # Reached only by the filing's own redirect: from elsewhere it stays unopened, and unused.
    client = client_for(app)
    assert post_form(client, "/general/new", {**GENERAL, "category": category_id(session, "general")}).status_code == 303
    stranger = app.test_client().get("/receipt", headers=CROSS_SITE)
    assert stranger.status_code == 410 and "Set-Cookie" not in stranger.headers
    assert client.get("/receipt").status_code == 200


@pytest.mark.parametrize("path, status", [("/no-such-page", 404), ("/receipt.pdf", 405), ("/healthz", 200)])
def test_what_is_not_a_page_is_answered_as_itself(app, path, status):
    # A missing page stays a 404 and the health check stays JSON for whatever reads them.
    response = app.test_client().get(path, headers=CROSS_SITE)
    assert response.status_code == status and 'http-equiv="refresh"' not in response.get_data(as_text=True)


def test_another_site_cannot_use_up_a_receipt_through_the_language_switch(app, session):
    # The reload makes a link from elsewhere reach the session; /lang must not forward it to the
    # receipt, which is shown once.
    client = client_for(app)
    assert post_form(client, "/general/new", {**GENERAL, "category": category_id(session, "general")}).status_code == 303
    # Browsers resolve "." and ".." segments, plain or as %2e, before they ask.
    for target in ("/receipt", "/receipt/", "/receipt?x=1", "/./receipt", "/x/../receipt", "/%2e/receipt", "/%252e/receipt", "/x/%252E%252e/receipt"):
        assert client.get(f"/lang/th?next={target}").headers["Location"] == "/"
    assert client.get("/receipt").status_code == 200  # still there for its own tab
