"""Reference solution for prod-03-1."""
from __future__ import annotations

import hashlib
import json
import shutil
from collections import deque
from pathlib import Path


def canonical_json(obj: object) -> bytes:
    """The bytes a manifest is hashed and stored as: sorted keys, no whitespace, UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def hash_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class DataStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        (self.root / "objects").mkdir(parents=True, exist_ok=True)
        (self.root / "versions").mkdir(parents=True, exist_ok=True)

    def _object_path(self, digest: str) -> Path:
        return self.root / "objects" / digest[:2] / digest[2:]

    def add(self, path: str | Path) -> str:
        data = Path(path).read_bytes()
        digest = hash_bytes(data)
        target = self._object_path(digest)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return digest

    def commit(self, files: dict[str, str | Path], parents: list[str] = (), message: str = "") -> str:
        for p in parents:
            if not (self.root / "versions" / p).exists():
                raise ValueError(f"unknown parent version {p}")
        manifest = {"files": {name: self.add(path) for name, path in files.items()}, "parents": list(parents),
                    "message": message}
        data = canonical_json(manifest)
        version = hash_bytes(data)
        (self.root / "versions" / version).write_bytes(data)
        return version

    def manifest(self, version: str) -> dict:
        path = self.root / "versions" / version
        if not path.exists():
            raise ValueError(f"unknown version {version}")
        return json.loads(path.read_bytes())

    def checkout(self, version: str, dest: str | Path) -> None:
        dest = Path(dest)
        for name, digest in self.manifest(version)["files"].items():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self._object_path(digest), target)

    def lineage(self, version: str) -> list[str]:
        self.manifest(version)
        order, seen, queue = [], {version}, deque([version])
        while queue:
            v = queue.popleft()
            order.append(v)
            for p in self.manifest(v)["parents"]:
                if p not in seen:
                    seen.add(p)
                    queue.append(p)
        return order
