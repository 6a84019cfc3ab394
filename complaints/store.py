"""The encrypted case store: which key seals which field of which row, and the blob files.

Each case has two data keys (DEKs): one for the story (and everything derived from it: messages,
notes, attachment names and bytes) and one for the complainant's identity, so reading a case
never decrypts who filed it. DEKs are stored wrapped by the KEK of the case's channel and purpose.
Associated data names row and field, so a ciphertext copied to another row or field fails.
"""
from __future__ import annotations

import json
import os
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, Iterator, Mapping

from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.orm import Session

from complaints import blobpad, crypto
from complaints.blobkeeping import stamp
from complaints.keyring import KeyRing
from complaints.models import Attachment, Case


def blob_file(blob_dir: Path, attachment_id: uuid.UUID) -> Path:
    """Where an attachment's ciphertext lives under ``blob_dir`` (fanned out by the first two hex
    digits, so no directory grows huge); a backup's copy keeps the same layout."""
    name = attachment_id.hex
    return blob_dir / name[:2] / f"{name}.bin"


class Vault:
    """Keys plus the blob directory; bound to sessions through ``session.info['vault']``."""

    def __init__(self, keyring: KeyRing, blob_dir: str | Path) -> None:
        self.keyring = keyring
        self.blob_dir = Path(blob_dir)
        self._fanned_out = False

    # -- data keys ----------------------------------------------------------------------------
    @staticmethod
    def _dek_ad(case_id: uuid.UUID, channel: str, purpose: str) -> bytes:
        return f"dek:{channel}:{purpose}:case:{case_id}:v1".encode()

    def wrap_dek(self, case_id: uuid.UUID, channel: str, purpose: str, dek: bytes) -> tuple[str, bytes]:
        """Wrap a DEK under the current KEK of (channel, purpose); returns (kek id, wrapped)."""
        kid, kek = self.keyring.current(channel, purpose)
        return kid, crypto.seal(kek, dek, self._dek_ad(case_id, channel, purpose))

    def _dek(self, case: Case, purpose: str) -> bytes:
        wrapped, kid = (
            (case.story_dek, case.story_kek_id)
            if purpose == "story"
            else (case.identity_dek, case.identity_kek_id)
        )
        if wrapped is None or kid is None:
            raise crypto.MissingKeyError(f"case has no {purpose} key")
        kek = self.keyring.get(case.channel, purpose, kid)
        return crypto.open_sealed(kek, wrapped, self._dek_ad(case.id, case.channel, purpose))

    def rewrap(self, case: Case) -> bool:
        """Re-wrap the case's DEKs under the current KEKs; True if anything changed (rotation)."""
        changed = False
        for purpose in ("story", "identity"):
            kid_attr, dek_attr = f"{purpose}_kek_id", f"{purpose}_dek"
            old_kid = getattr(case, kid_attr)
            if old_kid is None or old_kid == self.keyring.current(case.channel, purpose)[0]:
                continue
            new_kid, wrapped = self.wrap_dek(case.id, case.channel, purpose, self._dek(case, purpose))
            setattr(case, kid_attr, new_kid)
            setattr(case, dek_attr, wrapped)
            changed = True
        return changed

    def move_channel(self, case: Case, channel: str) -> None:
        """Re-wrap the case's DEKs under ``channel``'s KEKs (reclassification); ciphertexts stay."""
        deks = {p: self._dek(case, p) for p in ("story", "identity") if getattr(case, f"{p}_dek") is not None}
        for purpose, dek in deks.items():
            kid, wrapped = self.wrap_dek(case.id, channel, purpose, dek)
            setattr(case, f"{purpose}_kek_id", kid)
            setattr(case, f"{purpose}_dek", wrapped)
        case.channel = channel

    # -- sealed fields ------------------------------------------------------------------------
    @staticmethod
    def field_ad(case_id: uuid.UUID, field: str, row: object = "") -> bytes:
        """Associated data of a field, e.g. ``case:<id>:story:v1`` or ``case:<id>:message:<mid>:v1``."""
        middle = f"{field}:{row}" if row != "" else field
        return f"case:{case_id}:{middle}:v1".encode()

    def seal_new_case(
        self, case: Case, story: Mapping[str, Any], identity: Mapping[str, Any] | None
    ) -> None:
        """Create the case's DEKs and seal story and (when given) identity into the row."""
        story_dek = crypto.new_key()
        case.story_kek_id, case.story_dek = self.wrap_dek(case.id, case.channel, "story", story_dek)
        case.story_ct = crypto.seal(story_dek, _to_json(story), self.field_ad(case.id, "story"))
        if identity:
            id_dek = crypto.new_key()
            case.identity_kek_id, case.identity_dek = self.wrap_dek(
                case.id, case.channel, "identity", id_dek
            )
            case.identity_ct = crypto.seal(id_dek, _to_json(identity), self.field_ad(case.id, "identity"))

    def story(self, case: Case) -> dict[str, Any]:
        """Decrypt the story (what happened, where, who is complained about)."""
        data = crypto.open_sealed(self._dek(case, "story"), case.story_ct, self.field_ad(case.id, "story"))
        return dict(json.loads(data))

    def identity(self, case: Case) -> dict[str, Any] | None:
        """Decrypt who filed; callers in the console must log the opening with a reason."""
        if case.identity_ct is None:
            return None
        ad = self.field_ad(case.id, "identity")
        return dict(json.loads(crypto.open_sealed(self._dek(case, "identity"), case.identity_ct, ad)))

    def seal_text(self, case: Case, field: str, row: object, text: str) -> bytes:
        """Seal a free-text field of a row that belongs to the case (message, note, file name)."""
        return crypto.seal(self._dek(case, "story"), text.encode(), self.field_ad(case.id, field, row))

    def open_text(self, case: Case, field: str, row: object, blob: bytes) -> str:
        """Open a ``seal_text`` value."""
        return crypto.open_sealed(self._dek(case, "story"), blob, self.field_ad(case.id, field, row)).decode()

    # -- blobs --------------------------------------------------------------------------------
    def blob_path(self, attachment_id: uuid.UUID) -> Path:
        """Where an attachment's ciphertext lives (``blob_file`` in this vault's folder)."""
        return blob_file(self.blob_dir, attachment_id)

    def write_blob(self, session: Session, case: Case, attachment_id: uuid.UUID, src: BinaryIO,
                   stamped_at: datetime | None = None) -> int:
        """Stream ``src`` through encryption into the blob store, padded to its Padmé length
        (``blobpad``); returns that padded length, which is all the database is told of its size.

        The file is registered on the session so a rollback deletes it: a failed filing leaves no
        orphan ciphertext behind (``blobkeeping``, which also keeps it when a failed COMMIT may
        have written its row all the same). ``stamped_at`` becomes the file's modification time, so a
        corruption report's file says no more of when it came than its case does (the inode's
        change time cannot be set and still holds the moment; only the server's administrator sees it).
        """
        path = self.blob_path(attachment_id)
        self._fan_out(stamped_at)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # only if removed since: the fan-out made it
        tmp = path.with_suffix(".tmp")
        session.info.setdefault("new_blobs", []).append((path, stamped_at))
        padded = blobpad.PaddedReader(src)
        # 0600 from the start, as the keys and the database: no other account reads even sizes.
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as dst:
            crypto.encrypt_stream(
                self._dek(case, "story"), padded, dst, self.field_ad(case.id, "attachment", attachment_id)
            )
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(tmp, path)
        if stamped_at is not None:  # the file, and its folder, which the new entry just touched
            stamp(path, stamped_at)
            stamp(path.parent, stamped_at)
        return padded.stored_length

    def _fan_out(self, stamped_at: datetime | None) -> None:
        # All 256 folders are made at the first write, so no later filing makes one: making a
        # folder would set the blob root's modification time to the moment of that filing.
        if self._fanned_out:
            return
        self.blob_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        made = []
        for prefix in range(256):
            folder = self.blob_dir / f"{prefix:02x}"
            try:
                folder.mkdir(mode=0o700)
                made.append(folder)
            except FileExistsError:
                pass
        if made and stamped_at is not None:
            # Each new folder too: left alone, the 255 the first file did not go into kept the
            # exact moment of the first filing (and backups copy folder times).
            for folder in (*made, self.blob_dir):
                stamp(folder, stamped_at)
        self._fanned_out = True

    def read_blob(self, case: Case, attachment: Attachment) -> Iterator[bytes]:
        """Yield the decrypted bytes of an attachment, chunk by chunk, only once all of it verifies,
        without the padding.

        A first pass authenticates every chunk and the end of the stream, so a truncated or edited
        file raises ``DecryptionError`` before a single byte reaches a download; it also reads the
        trailer that gives the file's true length.
        """
        dek = self._dek(case, "story")
        path = self.blob_path(attachment.id)
        ad = self.field_ad(case.id, "attachment", attachment.id)
        tail = b""
        with open(path, "rb") as src:
            for chunk in crypto.decrypt_stream(dek, src, ad):
                tail = (tail + chunk)[-blobpad.TRAILER.size:]
        left = blobpad.true_length(tail)
        with open(path, "rb") as src:
            for chunk in crypto.decrypt_stream(dek, src, ad):
                if left is None:  # stored before padding
                    yield chunk
                    continue
                if left > 0:
                    yield chunk[:left]
                left = max(0, left - len(chunk))


def _to_json(data: Mapping[str, Any]) -> bytes:
    return json.dumps(dict(data), ensure_ascii=False, sort_keys=True).encode()


def vault_of(session: Session) -> Vault:
    """The vault bound to a session by ``make_session_factory``; a clear error when absent."""
    vault = session.info.get("vault")
    if not isinstance(vault, Vault):
        raise crypto.MissingKeyError("this session has no vault: open it with make_session_factory")
    return vault


def families_in_use(engine: Engine) -> dict[str, int]:
    """How many cases each key family (``general-story`` …) and the root key (``index``) keeps
    readable; empty for a database with no schema yet.

    ``complaints init`` asks before it makes a missing key: a new key in place of a lost one
    opens none of the cases sealed under the old one, and a new root key turns every tracking
    code and audit chain into "not found" and "tampered".
    """
    if not inspect(engine).has_table(Case.__tablename__):
        return {}
    stories, identities = func.count(Case.story_kek_id), func.count(Case.identity_kek_id)
    with engine.connect() as connection:
        rows = connection.execute(select(Case.channel, func.count(), stories, identities).group_by(Case.channel))
        used = {}
        for channel, cases, story, identity in rows:
            used.update({f"{channel}-story": story, f"{channel}-identity": identity})
            used["index"] = used.get("index", 0) + cases
    return {family: count for family, count in used.items() if count}
