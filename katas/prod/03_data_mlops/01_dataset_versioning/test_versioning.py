"""Tests for prod-03-1, content-addressed dataset versioning with lineage.

References: hashlib.sha256 of the bytes (objects) and of the canonical manifest JSON (versions), so
ids are the same in two independent stores; the files on disk (one object per distinct content,
checkout byte for byte); networkx.ancestors on the commit DAG and a breadth-first walk for lineage.
"""
import hashlib
import json
import tempfile
from collections import deque
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.strategies import seeds

CONTENTS = st.lists(st.binary(max_size=40), min_size=1, max_size=6)


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def objects(root: Path) -> list[Path]:
    return sorted(p for p in (root / "objects").rglob("*") if p.is_file())


@settings(max_examples=15)
@given(contents=CONTENTS)
def test_add_stores_each_content_once(kata, contents):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = kata.DataStore(tmp / "store")
        for i, data in enumerate(contents + contents[:1]):          # the first content twice, under another name
            digest = store.add(write(tmp / "work", f"f{i}.bin", data))
            want = hashlib.sha256(data).hexdigest()
            assert digest == want, f"add(<{len(data)} bytes>) returned {digest!r}, expected sha256 {want!r}"
            obj = tmp / "store" / "objects" / want[:2] / want[2:]
            assert obj.is_file() and obj.read_bytes() == data, f"object for {want} missing or wrong at {obj}"
        n = len(objects(tmp / "store"))
        assert n == len(set(contents)), f"{len(contents) + 1} adds of {len(set(contents))} distinct contents stored {n} objects"


@settings(max_examples=10)
@given(contents=CONTENTS, message=st.text(max_size=10))
def test_commit_ids_are_content_hashes(kata, contents, message):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = {f"data/part{i}.csv": write(tmp / "work", f"p{i}", d) for i, d in enumerate(contents)}
        a, b = kata.DataStore(tmp / "a"), kata.DataStore(tmp / "b")
        v1 = a.commit(files, message=message)
        manifest = {"files": {n: hashlib.sha256(p.read_bytes()).hexdigest() for n, p in files.items()}, "parents": [],
                    "message": message}
        canonical = json.dumps(manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        assert v1 == hashlib.sha256(canonical).hexdigest(), f"commit id {v1} is not sha256 of the canonical manifest {canonical!r}"
        assert (tmp / "a" / "versions" / v1).read_bytes() == canonical, "versions/<id> should hold the canonical manifest bytes"
        assert a.manifest(v1) == manifest, f"manifest({v1}) = {a.manifest(v1)}, expected {manifest}"
        assert b.commit(dict(reversed(list(files.items()))), message=message) == v1, "the same content in another store (files listed in another order) got another id"
        v2 = a.commit(files, parents=[v1], message=message)
        assert v2 != v1 and a.manifest(v2)["parents"] == [v1], "a commit with a parent must differ from its parent and record it"
        assert len(objects(tmp / "a")) == len(set(contents)), "committing the same files twice duplicated objects"


def test_commit_defaults_and_one_byte_change(kata):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = kata.DataStore(tmp / "s")
        v = store.commit({"x": write(tmp, "x", b"abc")})
        assert store.manifest(v) == {"files": {"x": hashlib.sha256(b"abc").hexdigest()}, "parents": [], "message": ""}, (
            f"defaults parents=(), message='': manifest {store.manifest(v)}")
        w = store.commit({"x": write(tmp, "x", b"abd")})
        assert w != v, "changing one byte must change the version id"


@settings(max_examples=10)
@given(contents=CONTENTS)
def test_checkout_restores_bytes(kata, contents):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = kata.DataStore(tmp / "s")
        files = {f"sub{i % 2}/file{i}.bin": write(tmp / "w", f"{i}", d) for i, d in enumerate(contents)}
        v = store.commit(files)
        for p in files.values():
            p.write_bytes(b"overwritten")            # the working copy changes after the commit
        store.checkout(v, tmp / "out")
        for i, name in enumerate(files):
            got = (tmp / "out" / name).read_bytes()
            assert got == contents[i], f"checkout: {name} has {got!r}, committed {contents[i]!r}"


@settings(max_examples=10)
@given(seed=seeds(), n=st.integers(1, 8))
def test_lineage_is_the_ancestor_graph_breadth_first(kata, seed, n):
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = kata.DataStore(tmp / "s")
        graph, versions = nx.DiGraph(), []
        for i in range(n):
            k = int(rng.integers(0, min(len(versions), 2) + 1))
            parents = [versions[j] for j in rng.choice(len(versions), size=k, replace=False)] if k else []
            v = store.commit({"d": write(tmp, "d", f"version {i}".encode())}, parents=parents, message=str(i))
            versions.append(v)
            graph.add_node(v)
            graph.add_edges_from((v, p) for p in parents)
        for v in versions:
            got = store.lineage(v)
            want, seen, queue = [], {v}, deque([v])
            while queue:
                u = queue.popleft()
                want.append(u)
                for p in store.manifest(u)["parents"]:
                    if p not in seen:
                        seen.add(p)
                        queue.append(p)
            assert set(got) == {v} | nx.descendants(graph, v), "lineage is not the version plus all its ancestors"
            assert list(got) == want, f"lineage order {got}, expected breadth-first {want}"


def test_unknown_versions_are_rejected(kata):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = kata.DataStore(tmp / "s")
        ghost = "0" * 64
        with pytest.raises(ValueError):
            store.commit({"x": write(tmp, "x", b"1")}, parents=[ghost])
            pytest.fail("commit with an unknown parent returned instead of raising ValueError")
        for method, args in [("manifest", (ghost,)), ("checkout", (ghost, tmp / "out")), ("lineage", (ghost,))]:
            with pytest.raises(ValueError):
                getattr(store, method)(*args)
                pytest.fail(f"{method} of an unknown version returned instead of raising ValueError")
