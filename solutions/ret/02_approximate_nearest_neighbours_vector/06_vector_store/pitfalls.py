"""Plausible wrong vector-store code that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from vector_store import NumpyStore, check_add, top_k


@pitfall(replaces="NumpyStore.delete", why="deletes by position (np.delete(arr, ids)) instead of by id")
def delete_by_position(self: NumpyStore, ids: list[int]) -> None:
    missing = set(ids) - set(self.ids.tolist())
    if missing:
        raise KeyError(f"not stored: {sorted(missing)}")
    pos = [p for p in ids if p < len(self.ids)]
    self.ids, self.vectors = np.delete(self.ids, pos), np.delete(self.vectors, pos, axis=0)


@pitfall(replaces="NumpyStore.delete", why="removes the ids it finds before noticing a missing one: a failed delete still deletes")
def partial_delete(self: NumpyStore, ids: list[int]) -> None:
    keep = ~np.isin(self.ids, ids)
    removed = set(self.ids[~keep].tolist())
    self.ids, self.vectors = self.ids[keep], self.vectors[keep]
    if set(ids) - removed:
        raise KeyError("not stored")


@pitfall(replaces="NumpyStore.add", why="no duplicate check: an id already stored is added a second time")
def add_without_checks(self: NumpyStore, ids: list[int], vectors: np.ndarray) -> None:
    if np.shape(vectors) != (len(ids), self.dim):
        raise ValueError("shape")
    self.ids = np.concatenate([self.ids, np.asarray(ids, dtype=np.int64)])
    self.vectors = np.concatenate([self.vectors, np.asarray(vectors, dtype=np.float32)])


@pitfall(replaces="FaissStore.search", why="returns FAISS's own order for equal scores instead of increasing id")
def faiss_tie_order(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:   # noqa: ANN001
    if k < 1:
        raise ValueError("k")
    if self.index.ntotal == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    scores, ids = self.index.search(np.asarray(q, dtype=np.float32)[None], min(k, self.index.ntotal))
    return ids[0].astype(np.int64), scores[0].astype(np.float32)


@pitfall(replaces="SQLiteStore.add", why="stores the vectors as float64 bytes; search reads them back as float32")
def float64_blobs(self, ids: list[int], vectors: np.ndarray) -> None:   # noqa: ANN001
    check_add(self, ids, vectors, self._stored())
    rows = [(int(i), np.asarray(v, dtype=np.float64).tobytes()) for i, v in zip(ids, vectors, strict=True)]
    self.conn.executemany("INSERT INTO vectors VALUES (?, ?)", rows)
    self.conn.commit()


@pitfall(replaces="SQLiteStore.delete", why="execute() with the first id only, instead of executemany over all of them")
def deletes_first_only(self, ids: list[int]) -> None:   # noqa: ANN001
    missing = set(ids) - self._stored()
    if missing:
        raise KeyError(f"not stored: {sorted(missing)}")
    self.conn.execute("DELETE FROM vectors WHERE id = ?", (int(ids[0]),))
    self.conn.commit()


@pitfall(replaces="SQLiteStore.search", why="ranks by smallest inner product (ascending sort)")
def ascending(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:   # noqa: ANN001
    if k < 1:
        raise ValueError("k")
    rows = self.conn.execute("SELECT id, vec FROM vectors").fetchall()
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    vecs = np.array([np.frombuffer(r[1], dtype=np.float32) for r in rows], dtype=np.float32).reshape(-1, self.dim)
    return top_k(ids, -(vecs @ np.asarray(q, dtype=np.float32)), k)
