"""Links, scripts, signatures and page objects of an uploaded PDF: what opens the author's files
or names them goes, what a reader needs (web, mail and in-document links, the figure) stays."""
from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from complaints.links import public_address
from tests.pdf_checks import clean, everything_in
from tests.pdf_samples import AUTHOR, PAGE_TEXT
from tests.pdf_structure_samples import INERT_LINKS, MAIL_LINK, WEB_LINK, structure_pdf


def annotations(page: Any) -> dict[str, Any]:
    """The page's annotations by the label in their /Contents."""
    return {str(a.get_object()["/Contents"]): a.get_object() for a in page["/Annots"]}


def test_the_sample_names_the_author_in_every_place() -> None:
    # Guards the tests below: the canary must be there to begin with, in each hiding place.
    page = PdfReader(io.BytesIO(structure_pdf())).pages[0]
    found = annotations(page)
    assert all(AUTHOR in repr(found[label]["/A"]) for label in INERT_LINKS)
    assert AUTHOR in found["script by reference"]["/A"]["/JS"]
    assert AUTHOR in found["web"]["/A"]["/Next"]["/JS"] and AUTHOR in found["web"]["/PA"]["/URI"]
    assert found["signature"]["/V"]["/Name"] == AUTHOR and AUTHOR.encode() in found["3d"]["/3DD"].get_data()
    assert AUTHOR in page["/AA"]["/O"]["/JS"] and AUTHOR.encode() in page["/Thumb"].get_data()
    assert page["/B"][0]["/T"]["/I"]["/Author"] == AUTHOR
    figure = page["/Resources"]["/XObject"]["/Fm1"]
    assert figure["/PTEX.InfoDict"]["/Author"] == AUTHOR and AUTHOR in figure["/PTEX.FileName"]
    assert AUTHOR in figure["/Ref"]["/F"] and AUTHOR in repr(figure["/OPI"])
    layer = page["/Resources"]["/Properties"]["/OC1"]
    assert AUTHOR in layer["/Name"] and layer["/Usage"]["/User"]["/Name"] == AUTHOR
    assert AUTHOR in found["hidden field"]["/V"] and found["no-view field"]["/V"] == AUTHOR
    assert AUTHOR in found["reply"]["/IRT"]["/Contents"] and AUTHOR in found["hidden kid"]["/V"]


def test_nothing_of_the_author_survives_and_the_page_still_reads() -> None:
    out = clean(structure_pdf())
    assert AUTHOR.encode() not in everything_in(out)
    assert PAGE_TEXT in PdfReader(io.BytesIO(out)).pages[0].extract_text()


def test_web_mail_and_in_document_links_stay_without_follow_ups() -> None:
    page = PdfReader(io.BytesIO(clean(structure_pdf()))).pages[0]
    found = annotations(page)
    assert found["web"]["/A"]["/URI"] == WEB_LINK and "/Next" not in found["web"]["/A"] and "/PA" not in found["web"]
    assert found["mail"]["/A"]["/URI"] == MAIL_LINK
    assert found["jump"]["/A"]["/D"][0].get_object() == page  # still lands on its page
    assert found["next page"]["/A"]["/N"] == "/NextPage"


def test_links_to_the_authors_files_programs_and_scripts_are_inert_but_still_there() -> None:
    found = annotations(PdfReader(io.BytesIO(clean(structure_pdf()))).pages[0])
    for label in [*INERT_LINKS, "script by reference"]:
        assert "/A" not in found[label], label


def test_page_figure_layer_signature_and_3d_scene_keep_what_is_shown_only() -> None:
    page = PdfReader(io.BytesIO(clean(structure_pdf()))).pages[0]
    assert not {"/AA", "/Thumb", "/B"} & set(page)
    figure = page["/Resources"]["/XObject"]["/Fm1"]
    assert figure.get_data() == b"0 0 10 10 re f" and not [k for k in figure if k.startswith("/PTEX")]
    assert not {"/Ref", "/OPI"} & set(figure)
    layer = page["/Resources"]["/Properties"]["/OC1"]
    assert layer["/Name"] == "Layer" and "/Usage" not in layer
    found = annotations(page)
    assert found["signature"]["/T"] == "Signature1" and "/V" not in found["signature"]
    assert "/3DD" not in found["3d"]


def test_form_fields_and_comments_never_shown_go_and_shown_fields_keep_their_value() -> None:
    page = PdfReader(io.BytesIO(clean(structure_pdf()))).pages[0]
    found = annotations(page)
    assert not {"hidden field", "no-view field", "hidden kid"} & set(found)
    assert not [label for label in found if label.startswith("hidden note")]
    assert found["reply"]["/IRT"]["/F"] == 2 and "/Contents" not in found["reply"]["/IRT"]  # reached, emptied
    assert found["shown field"]["/V"] == "12,500 baht" and found["shown field"]["/AP"]["/N"].get_data() == b"BT (12,500 baht) Tj ET"
    assert found["shown kid"]["/V"] == "Division 3"


@pytest.mark.parametrize("address, kept", [
    ("https://www.example.go.th/x", True),
    (" HTTPS://WWW.EXAMPLE.GO.TH/", True),
    ("http://8.8.8.8/", True),
    ("mailto:saraban@example.go.th", True),
    ("file:///C:/Users/somchai/memo.docx", False),
    ("javascript:alert(1)", False),
    ("ftp://files.example.go.th/", False),
    ("https://contoso-my.sharepoint.com/personal/somchai_contoso_go_th/x", False),
    ("http://fileserver/users/somchai", False),
    ("http://LOCALHOST:8080/", False),
    ("http://printer.local/", False),
    ("http://10.1.2.3/", False),
    ("http://[fd00::1]/", False),
    ("https://somchai@www.example.go.th/", False),
    ("https://somchai:pw@www.example.go.th/", False),
    ("http://[not-an-address/", False),
    ("https://", False),
    # A query or fragment can carry the reader's mail address or a sharing token; a personal
    # cloud store's path names one person's file.
    ("https://apc01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fx.go.th&data=05%7C02%7Csomchai.k%40example.go.th", False),
    ("https://drive.google.com/drive/folders/1AbC?authuser=somchai%40gmail.com", False),
    ("https://www.google.com/url?q=https://x.go.th&ust=1732430000000", False),
    ("https://www.example.go.th/news.php?id=12", False),
    ("https://www.example.go.th/x#access_token=abc", False),
    ("https://www.example.go.th/x?", False),
    ("https://docs.google.com/document/d/1AbCdEf/edit", False),
    ("https://onedrive.live.com/redir", False),
    ("https://1drv.ms/w/s!AbC", False),
    ("https://www.dropbox.com/s/abc/memo.pdf", False),
])
def test_which_link_addresses_stay(address: str, kept: bool) -> None:
    assert public_address(address) is kept
