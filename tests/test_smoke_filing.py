"""A filing round trip on both databases: the fixture plumbing and the filing path work together."""
from __future__ import annotations

import io

from complaints import codes
from complaints.store import vault_of
from complaints.workflow.intake import IncomingFile, file_complaint
from tests.conftest import NOW


def test_file_and_find_by_code(session, org, store):
    with session.begin():
        filing = file_complaint(
            session, org, "corruption", "tip", "web",
            {"description": "เจ้าหน้าที่เรียกรับเงิน", "place": "หมู่ที่ 5"}, None,
            [IncomingFile("หลักฐาน.pdf", "application/pdf", io.BytesIO(b"%PDF-1.4 test"))], NOW,
        )
    found = codes.find_case(session, store.vault.keyring.index_key, filing.tracking_code.lower())
    assert found is not None and found.id == filing.case.id
    vault = vault_of(session)
    assert vault.story(found)["description"] == "เจ้าหน้าที่เรียกรับเงิน"
    assert vault.identity(found) is None and found.anonymous
    att = found.attachments[0]
    assert b"".join(vault.read_blob(found, att)) == b"%PDF-1.4 test"
    assert found.case_number == "ทจ 2568/0001"
