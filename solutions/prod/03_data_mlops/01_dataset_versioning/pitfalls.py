"""Plausible wrong versioning code that the tests must reject."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from versioning import DataStore, hash_bytes


@pitfall(replaces="DataStore.add", why="hashes the file's path instead of its content: equal data stored twice, edits undetected")
def hash_of_path(self: DataStore, path: str | Path) -> str:
    data = Path(path).read_bytes()
    digest = hash_bytes(str(Path(path).name).encode())
    target = self._object_path(digest)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return digest


@pitfall(replaces="DataStore.commit", why="hashes json.dumps without sort_keys: the id depends on the order files were listed")
def unsorted_manifest(self: DataStore, files: dict[str, str | Path], parents: list[str] = (), message: str = "") -> str:
    for p in parents:
        if not (self.root / "versions" / p).exists():
            raise ValueError("unknown parent")
    manifest = {"files": {n: self.add(p) for n, p in files.items()}, "parents": list(parents), "message": message}
    data = json.dumps(manifest).encode()
    version = hash_bytes(data)
    (self.root / "versions" / version).write_bytes(data)
    return version


@pitfall(replaces="DataStore.lineage", why="depth-first instead of breadth-first: a grandparent before the second parent")
def depth_first(self: DataStore, version: str) -> list[str]:
    self.manifest(version)
    order: list[str] = []

    def visit(v: str) -> None:
        if v in order:
            return
        order.append(v)
        for p in self.manifest(v)["parents"]:
            visit(p)

    visit(version)
    return order


@pitfall(replaces="DataStore.lineage", why="only the version and its direct parents, not the whole ancestry")
def parents_only(self: DataStore, version: str) -> list[str]:
    return [version] + list(self.manifest(version)["parents"])
