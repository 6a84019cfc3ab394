"""Key-encryption keys (KEKs) and the deployment's root key, kept outside the database.

One KEK per channel and purpose (``general-story``, ``corruption-identity`` …), so a key that opens
general complaints cannot open corruption reports, and a key that opens stories cannot open
identities. Each KEK has a sortable id; the newest is current, older ones stay readable until the
operator deletes them after ``complaints rotate-keys``.

Sources, merged: files ``instance/keys/kek-<channel>-<purpose>-<kid>.key`` (32 raw bytes, mode 0600)
and environment variables ``COMPLAINTS_KEK_<CHANNEL>_<PURPOSE>=kid:base64[,kid:base64…]``.
The root key (``index.key`` or ``COMPLAINTS_INDEX_KEY``) only feeds HKDF for the blind index and the
audit chain.
"""
from __future__ import annotations

import base64
import os
import re
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from complaints.crypto import KEY_BYTES, MissingKeyError, derive_key, new_key
from complaints.vocab import CHANNELS, PURPOSES

_KEK_FILE = re.compile(r"^kek-(general|corruption)-(story|identity)-([0-9a-z]+)\.key$")


def kek_name(channel: str, purpose: str) -> str:
    """The family name of a KEK, e.g. ``corruption-identity``."""
    if channel not in CHANNELS or purpose not in PURPOSES:
        raise ValueError(f"unknown key family {channel}-{purpose}")
    return f"{channel}-{purpose}"


def new_kid(after: str = "") -> str:
    """A key id that sorts after ``after`` and by creation time, so "newest" needs no pointer.

    Nanoseconds since the epoch, zero-padded; bumped past ``after`` when two keys are made within
    the clock's resolution, so the key just made is always the current one.
    """
    kid = f"{time.time_ns():020d}"
    if len(after) == len(kid) and after.isdigit() and kid <= after:
        kid = f"{int(after) + 1:020d}"
    return kid


def _write_secret(path: Path, data: bytes) -> None:
    # O_EXCL: never overwrite an existing key; 0600 from the start, not chmod-after-write.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


class KeyRing:
    """All KEKs this process can use, plus the derived index and audit keys."""

    def __init__(self, keys_dir: str | Path, environ: Mapping[str, str] | None = None) -> None:
        self.keys_dir = Path(keys_dir)
        self._environ = dict(os.environ if environ is None else environ)
        self._lock = threading.Lock()
        self._keks: dict[str, dict[str, bytes]] = {}
        self._root: bytes | None = None
        self._dir_listing: frozenset[str] | None = None
        self.reload()

    # -- loading ------------------------------------------------------------------------------
    def _list_dir(self) -> frozenset[str] | None:
        # The names, not the mtime: a coarse mtime can miss a file added within the same tick.
        try:
            return frozenset(os.listdir(self.keys_dir))
        except FileNotFoundError:
            return None

    def reload(self) -> None:
        """Re-read files and environment; called on an unknown kid so rotation needs no restart."""
        self._dir_listing = self._list_dir()
        keks: dict[str, dict[str, bytes]] = {}
        if self.keys_dir.is_dir():
            for path in sorted(self.keys_dir.iterdir()):
                match = _KEK_FILE.match(path.name)
                if match:
                    family = f"{match[1]}-{match[2]}"
                    keks.setdefault(family, {})[match[3]] = self._read_key(path.read_bytes(), path.name)
        for channel in CHANNELS:
            for purpose in PURPOSES:
                raw = self._environ.get(f"COMPLAINTS_KEK_{channel.upper()}_{purpose.upper()}", "")
                for item in filter(None, (p.strip() for p in raw.split(","))):
                    kid, _, b64 = item.partition(":")
                    keks.setdefault(kek_name(channel, purpose), {})[kid] = self._read_key(
                        base64.b64decode(b64), f"COMPLAINTS_KEK_{channel.upper()}_{purpose.upper()}"
                    )
        root = None
        if self._environ.get("COMPLAINTS_INDEX_KEY"):
            root = self._read_key(base64.b64decode(self._environ["COMPLAINTS_INDEX_KEY"]), "env")
        elif (self.keys_dir / "index.key").is_file():
            root = self._read_key((self.keys_dir / "index.key").read_bytes(), "index.key")
        with self._lock:
            self._keks, self._root = keks, root

    @staticmethod
    def _read_key(data: bytes, where: str) -> bytes:
        if len(data) != KEY_BYTES:
            raise MissingKeyError(f"key {where} is {len(data)} bytes, expected {KEY_BYTES}")
        return data

    # -- creating -----------------------------------------------------------------------------
    def missing(self) -> list[str]:
        """The families with no key at all (``general-story`` …) and ``index`` for the root key:
        what ``create_missing`` would make."""
        absent = [kek_name(c, p) for c in CHANNELS for p in PURPOSES if not self._keks.get(kek_name(c, p))]
        return absent + (["index"] if self._root is None else [])

    def create_missing(self) -> list[str]:
        """Create any absent KEK family and the root key (first ``init``). Returns what was made."""
        self.keys_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        made = []
        for channel in CHANNELS:
            for purpose in PURPOSES:
                if not self._keks.get(kek_name(channel, purpose)):
                    made.append(self.add_kek(channel, purpose))
        if self._root is None:
            _write_secret(self.keys_dir / "index.key", new_key())
            made.append("index")
        self.reload()
        return made

    def add_kek(self, channel: str, purpose: str) -> str:
        """Write a new KEK file for a family; it becomes current. Returns its file name."""
        self.keys_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.reload()
        kid = new_kid(after=max(self.kids(channel, purpose), default=""))
        name = f"kek-{kek_name(channel, purpose)}-{kid}.key"
        _write_secret(self.keys_dir / name, new_key())
        self.reload()
        if self.current(channel, purpose)[0] != kid:
            raise MissingKeyError(f"new key {name} did not become current; check the ids in {self.keys_dir}")
        return name

    # -- using --------------------------------------------------------------------------------
    def current(self, channel: str, purpose: str) -> tuple[str, bytes]:
        """The newest KEK of a family as (kid, key); a key added by a rotation elsewhere is picked up."""
        if self._list_dir() != self._dir_listing:
            self.reload()
        family = self._keks.get(kek_name(channel, purpose))
        if not family:
            raise MissingKeyError(
                f"no key for {kek_name(channel, purpose)} in {self.keys_dir} or the environment; "
                "restore the key files from the key backup (or set COMPLAINTS_KEK_* variables); only an "
                "instance that holds no cases yet gets new ones from 'complaints init'"
            )
        kid = max(family)
        return kid, family[kid]

    def get(self, channel: str, purpose: str, kid: str) -> bytes:
        """The KEK a row names; reloads once, because another process may have just rotated."""
        for attempt in range(2):
            key = self._keks.get(kek_name(channel, purpose), {}).get(kid)
            if key is not None:
                return key
            if attempt == 0:
                self.reload()
        raise MissingKeyError(f"key {kek_name(channel, purpose)}/{kid} is not available")

    def kids(self, channel: str, purpose: str) -> list[str]:
        """All kids known for a family, oldest first."""
        return sorted(self._keks.get(kek_name(channel, purpose), {}))

    def _root_key(self) -> bytes:
        if self._root is None:
            raise MissingKeyError(f"root key missing: {self.keys_dir / 'index.key'} or COMPLAINTS_INDEX_KEY")
        return self._root

    @property
    def index_key(self) -> bytes:
        """Key of the tracking-code blind index (derived for that purpose alone)."""
        return _derived(self._root_key(), "complaints/v1/tracking-code-index")

    @property
    def audit_key(self) -> bytes:
        """Key of the per-case event hash chain: without it a database editor cannot re-forge links."""
        return _derived(self._root_key(), "complaints/v1/audit-chain")


@lru_cache(maxsize=16)
def _derived(root: bytes, purpose: str) -> bytes:
    # HKDF is deterministic; deriving once per root key saves work on every filing and lookup.
    return derive_key(root, purpose)
