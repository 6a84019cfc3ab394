"""A PDF whose links, scripts, signatures and page objects name the author: the places beyond
document metadata and pictures (``pdf_samples`` has those). Each link is labelled in its
/Contents (which the rebuild keeps), so tests can find it after cleaning."""
from __future__ import annotations

import io
from typing import Any

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from tests.pdf_samples import AUTHOR, PAGE_TEXT, jpeg_with_exif, photo_stream, rect

WEB_LINK = " HTTPS://www.example.go.th/evidence"  # schemes are case-insensitive
MAIL_LINK = "mailto:saraban@example.go.th"
INERT_LINKS = {  # label: an action that opens the author's files or folders, or runs or sends something
    "file": {"/S": "/URI", "/URI": f"file:///C:/Users/{AUTHOR}/Documents/memo.docx"},
    "script address": {"/S": "/URI", "/URI": f"javascript:send('{AUTHOR}')"},
    "onedrive": {"/S": "/URI", "/URI": f"https://contoso-my.sharepoint.com/personal/{AUTHOR}_contoso_go_th/memo.docx"},
    "intranet": {"/S": "/URI", "/URI": f"http://fileserver/users/{AUTHOR}/"},
    "private address": {"/S": "/URI", "/URI": f"http://192.168.10.4/{AUTHOR}/"},
    "credentials": {"/S": "/URI", "/URI": f"https://{AUTHOR}:secret@www.example.go.th/"},
    "launch": {"/S": "/Launch", "/F": f"C:\\Users\\{AUTHOR}\\run.bat"},
    "other file": {"/S": "/GoToR", "/F": f"/home/{AUTHOR}/draft.pdf", "/D": "/Start"},
    "script": {"/S": "/JavaScript", "/JS": f"app.alert('{AUTHOR}')"},
    "submit": {"/S": "/SubmitForm", "/F": f"https://collector.example/{AUTHOR}"},
}


def _name(key: str, value: str) -> Any:
    return NameObject(value) if value.startswith("/") else ByteStringObject(value.encode())


def _dict(entries: dict[str, Any]) -> DictionaryObject:
    return DictionaryObject({NameObject(k): _name(k, v) if isinstance(v, str) else v for k, v in entries.items()})


def _link(label: str, action: Any, **extra: Any) -> DictionaryObject:
    return _dict({"/Type": "/Annot", "/Subtype": "/Link", "/Rect": rect(100, 100, 120, 110),
                  "/Contents": TextStringObject(label), "/A": action, **extra})


def _stream(data: bytes, entries: dict[str, Any]) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    stream.update(_dict(entries))
    return stream


def _page_objects(writer: PdfWriter, page: Any) -> None:
    """A page-open script, a thumbnail, an article thread's info, and a figure carrying the
    typesetting data of the file it came from, a reference to that file and a layer's user."""
    script = _dict({"/S": "/JavaScript", "/JS": TextStringObject(f"log('{AUTHOR}')")})
    page[NameObject("/AA")] = _dict({"/O": script})
    thumbnail = photo_stream(jpeg_with_exif() + f"page before blacking out: {AUTHOR}".encode(), NameObject("/DCTDecode"))
    page[NameObject("/Thumb")] = writer._add_object(thumbnail)
    thread = writer._add_object(_dict({"/Type": "/Thread", "/I": _dict({"/Author": TextStringObject(AUTHOR)})}))
    page[NameObject("/B")] = ArrayObject([writer._add_object(_dict({"/Type": "/Bead", "/T": thread, "/P": page.indirect_reference,
                                                                    "/R": rect(0, 0, 50, 50)}))])
    figure = _stream(b"0 0 10 10 re f", {
        "/Type": "/XObject", "/Subtype": "/Form", "/BBox": rect(0, 0, 10, 10),
        "/PTEX.FileName": f"/home/{AUTHOR}/figure.pdf", "/PTEX.InfoDict": _dict({"/Author": TextStringObject(AUTHOR)}),
        "/Ref": _dict({"/F": f"C:\\Users\\{AUTHOR}\\figure.pdf", "/Page": NumberObject(0)}),
        "/OPI": _dict({"/2.0": _dict({"/F": f"/Volumes/{AUTHOR}/hi-res.tif"})})})
    layer = _dict({"/Type": "/OCG", "/Name": TextStringObject(f"markup by {AUTHOR}"),
                   "/Usage": _dict({"/User": _dict({"/Type": "/Ind", "/Name": TextStringObject(AUTHOR)})})})
    page[NameObject("/Resources")] = _dict({
        "/XObject": _dict({"/Fm1": writer._add_object(figure)}),
        "/Properties": _dict({"/OC1": writer._add_object(layer)}),
        "/Font": _dict({"/F1": _dict({"/Type": "/Font", "/Subtype": "/Type1", "/BaseFont": "/Helvetica"})})})
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 12 Tf 20 150 Td ({PAGE_TEXT}) Tj ET /OC /OC1 BDC /Fm1 Do EMC".encode())
    page[NameObject("/Contents")] = writer._add_object(content)


def _annotations(writer: PdfWriter, page: Any) -> list[Any]:
    follow_up = writer._add_object(_dict({"/S": "/JavaScript", "/JS": TextStringObject(f"send('{AUTHOR}')")}))
    signature = _dict({"/Type": "/Sig", "/Filter": "/Adobe.PPKLite", "/Name": TextStringObject(AUTHOR),
                       "/Contents": ByteStringObject(f"CN={AUTHOR}".encode()), "/ByteRange": rect(0, 10, 20, 30)})
    scene = _stream(f"U3D scene; OnInstantiate: log('{AUTHOR}')".encode(), {"/Type": "/3D", "/Subtype": "/U3D"})
    return [writer._add_object(a) for a in (
        _link("web", _dict({"/S": "/URI", "/URI": WEB_LINK, "/Next": follow_up}),
              **{"/PA": _dict({"/S": "/URI", "/URI": f"file:///C:/Users/{AUTHOR}/Desktop/captured.html"})}),
        _link("mail", _dict({"/S": "/URI", "/URI": MAIL_LINK})),
        _link("jump", _dict({"/S": "/GoTo", "/D": ArrayObject([page.indirect_reference, NameObject("/Fit")])})),
        _link("next page", _dict({"/S": "/Named", "/N": "/NextPage"})),
        *(_link(label, _dict(action)) for label, action in INERT_LINKS.items()),
        _link("script by reference", writer._add_object(_dict(INERT_LINKS["script"]))),
        _dict({"/Type": "/Annot", "/Subtype": "/Widget", "/FT": "/Sig", "/T": TextStringObject("Signature1"),
               "/Rect": rect(150, 10, 190, 30), "/V": writer._add_object(signature),
               "/Contents": TextStringObject("signature")}),
        _dict({"/Type": "/Annot", "/Subtype": "/3D", "/Rect": rect(10, 40, 90, 90), "/3DD": writer._add_object(scene),
               "/Contents": TextStringObject("3d")}),
        *_form_fields(writer),
    )]


def _field(name: str, value: str, flags: int, **extra: Any) -> DictionaryObject:
    appearance = _stream(f"BT ({value}) Tj ET".encode(), {"/Type": "/XObject", "/Subtype": "/Form",
                                                          "/BBox": rect(0, 0, 80, 12)})
    return _dict({"/Type": "/Annot", "/Subtype": "/Widget", "/FT": "/Tx", "/T": TextStringObject(name),
                  "/Rect": rect(10, 170, 90, 182), "/F": NumberObject(flags), "/V": TextStringObject(value),
                  "/DV": TextStringObject(value), "/AP": _dict({"/N": appearance}), **extra})


def _form_fields(writer: PdfWriter) -> list[Any]:
    """Form fields and a comment the page never shows (flagged Hidden or NoView), as a form's
    script fills them with the user's login, beside a field the page shows; a shown reply to the
    hidden comment, which still reaches it; and a hidden widget of a field that a shown one shares."""
    parent = writer._add_object(_dict({"/FT": "/Tx", "/T": TextStringObject("office")}))
    kids = [writer._add_object(_field("", value, flags, **{"/Parent": parent, "/Contents": TextStringObject(label)}))
            for label, value, flags in (("shown kid", "Division 3", 4), ("hidden kid", f"filled by {AUTHOR}", 2))]
    parent.get_object()[NameObject("/Kids")] = ArrayObject(kids)
    note = writer._add_object(_dict({"/Type": "/Annot", "/Subtype": "/Text", "/Rect": rect(0, 0, 10, 10),
                                     "/F": NumberObject(2), "/Contents": TextStringObject(f"hidden note: {AUTHOR}")}))
    return [
        _field("login", f"{AUTHOR}@office.local", 2, **{"/Contents": TextStringObject("hidden field")}),
        # NoView: never on screen, so its author never saw it (it may print)
        _field("printed by", AUTHOR, 32 | 4, **{"/Contents": TextStringObject("no-view field")}),
        note,
        _dict({"/Type": "/Annot", "/Subtype": "/Text", "/Rect": rect(10, 0, 20, 10), "/IRT": note,
               "/Contents": TextStringObject("reply")}),
        _field("amount", "12,500 baht", 4, **{"/Contents": TextStringObject("shown field")}),
        *kids,
    ]


def structure_pdf() -> bytes:
    """One page with text, a figure and links: kept ones (web, mail, a jump within the document,
    next page) and inert ones (``INERT_LINKS``, and a script stored by reference); the author's
    name is in the inert links' targets, the web link's follow-up script and earlier target,
    the page-open script, thumbnail, article thread and figure, a layer's name and user, a
    signature's signer, a 3D scene's script, and form fields and a comment the page never shows
    (``_form_fields``)."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    _page_objects(writer, page)
    page[NameObject("/Annots")] = ArrayObject(_annotations(writer, page))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
