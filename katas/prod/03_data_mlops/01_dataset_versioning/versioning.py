"""prod-03-1: content-addressed dataset versioning with lineage. Edit this file; `grader check prod-03-1` tests it."""
from __future__ import annotations

import hashlib
import json
import shutil  # noqa: F401
from collections import deque  # noqa: F401
from pathlib import Path


def canonical_json(obj: object) -> bytes:
    """The bytes a manifest is hashed and stored as: sorted keys, no whitespace, UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def hash_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class DataStore:
    """A tiny DVC: content-addressed file objects plus immutable version manifests.

    Layout under root: objects/<first 2 hex chars>/<remaining 62> holds each distinct file content
    once, named by its sha256; versions/<version id> holds a manifest's canonical_json bytes.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        (self.root / "objects").mkdir(parents=True, exist_ok=True)
        (self.root / "versions").mkdir(parents=True, exist_ok=True)

    def _object_path(self, digest: str) -> Path:
        return self.root / "objects" / digest[:2] / digest[2:]

    def add(self, path: str | Path) -> str:
        """Store the file's bytes under their sha256 (once: identical content is not written again)
        and return the hex digest."""
        raise NotImplementedError("DataStore.add: hash, then write the object if it is new")

    def commit(self, files: dict[str, str | Path], parents: list[str] = (), message: str = "") -> str:
        """Record a version: add every file, build the manifest
        {"files": {name: digest}, "parents": list(parents), "message": message}, store its
        canonical_json bytes under versions/<id>, id = hash_bytes(those bytes); return the id.
        The same content, parents and message give the same id in any store, on any run.

        Raises:
            ValueError: if a parent is not a version of this store.
        """
        raise NotImplementedError("DataStore.commit: add the files, hash the canonical manifest")

    def manifest(self, version: str) -> dict:
        """The manifest dict of a version. Raises ValueError for an unknown version."""
        raise NotImplementedError("DataStore.manifest")

    def checkout(self, version: str, dest: str | Path) -> None:
        """Write every file of the version under dest/<name> (creating sub-directories), byte for byte.
        Raises ValueError for an unknown version."""
        raise NotImplementedError("DataStore.checkout")

    def lineage(self, version: str) -> list[str]:
        """The version and all its ancestors, breadth-first: the version, then its parents in their
        listed order, then theirs, ...; each version once, at its first visit.
        Raises ValueError for an unknown version."""
        raise NotImplementedError("DataStore.lineage: breadth-first walk over parents")
