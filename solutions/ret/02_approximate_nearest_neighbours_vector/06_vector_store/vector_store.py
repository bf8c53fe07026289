"""Reference solution for ret-02-6."""
from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod

import faiss
import numpy as np


def top_k(ids: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best (highest score) entries, equal scores in increasing id: (ids int64, scores float32)."""
    order = np.lexsort((ids, -scores.astype(np.float64)))[:k]
    return ids[order].astype(np.int64), scores[order].astype(np.float32)


class VectorStore(ABC):
    """A collection of float32 vectors of one dimension `dim`, each under a distinct integer id.

    add(ids, vectors): store new vectors; ValueError if an id is already stored, repeated in ids,
        or the vectors are not (len(ids), dim).
    delete(ids): remove them; KeyError if one is not stored (then nothing is removed).
    search(q, k): (ids, scores) of the min(k, len(self)) largest inner products q . v, via top_k;
        ValueError if k < 1.
    save(path): write everything to the file at path; type(store).load(path) gives back a store
        that behaves identically (and can be changed further).
    __len__: the number of stored vectors.
    """

    dim: int

    @abstractmethod
    def add(self, ids: list[int], vectors: np.ndarray) -> None: ...

    @abstractmethod
    def delete(self, ids: list[int]) -> None: ...

    @abstractmethod
    def search(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...

    @abstractmethod
    def save(self, path: str) -> None: ...

    @classmethod
    @abstractmethod
    def load(cls, path: str) -> VectorStore: ...

    @abstractmethod
    def __len__(self) -> int: ...


def check_add(store: VectorStore, ids: list[int], vectors: np.ndarray, present: set[int]) -> None:
    """The ValueError checks of add: shape (len(ids), dim), ids distinct and not in `present`."""
    if np.shape(vectors) != (len(ids), store.dim):
        raise ValueError(f"vectors must be ({len(ids)}, {store.dim}), got {np.shape(vectors)}")
    if len(set(ids)) != len(ids) or present & set(ids):
        raise ValueError("ids must be new and distinct")


class NumpyStore(VectorStore):
    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.ids = np.zeros(0, dtype=np.int64)
        self.vectors = np.zeros((0, dim), dtype=np.float32)

    def add(self, ids: list[int], vectors: np.ndarray) -> None:
        check_add(self, ids, vectors, set(self.ids.tolist()))
        self.ids = np.concatenate([self.ids, np.asarray(ids, dtype=np.int64)])
        self.vectors = np.concatenate([self.vectors, np.asarray(vectors, dtype=np.float32)])

    def delete(self, ids: list[int]) -> None:
        missing = set(ids) - set(self.ids.tolist())
        if missing:
            raise KeyError(f"not stored: {sorted(missing)}")
        keep = ~np.isin(self.ids, ids)
        self.ids, self.vectors = self.ids[keep], self.vectors[keep]

    def search(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if k < 1:
            raise ValueError(f"k must be >= 1, got {k}")
        return top_k(self.ids, self.vectors @ np.asarray(q, dtype=np.float32), k)

    def save(self, path: str) -> None:
        with open(path, "wb") as f:
            np.savez(f, ids=self.ids, vectors=self.vectors)

    @classmethod
    def load(cls, path: str) -> NumpyStore:
        with np.load(path) as data:
            store = cls(data["vectors"].shape[1])
            store.ids, store.vectors = data["ids"], data["vectors"]
        return store

    def __len__(self) -> int:
        return len(self.ids)


class FaissStore(VectorStore):
    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    def _stored(self) -> np.ndarray:
        return faiss.vector_to_array(self.index.id_map)

    def add(self, ids: list[int], vectors: np.ndarray) -> None:
        check_add(self, ids, vectors, set(self._stored().tolist()))
        self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))

    def delete(self, ids: list[int]) -> None:
        missing = set(ids) - set(self._stored().tolist())
        if missing:
            raise KeyError(f"not stored: {sorted(missing)}")
        self.index.remove_ids(np.asarray(ids, dtype=np.int64))

    def search(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if k < 1:
            raise ValueError(f"k must be >= 1, got {k}")
        n = self.index.ntotal
        if n == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores, ids = self.index.search(np.asarray(q, dtype=np.float32)[None], n)   # all, then the tie rule
        return top_k(ids[0], scores[0], k)

    def save(self, path: str) -> None:
        faiss.write_index(self.index, path)

    @classmethod
    def load(cls, path: str) -> FaissStore:
        index = faiss.read_index(path)
        store = cls(index.d)
        store.index = index
        return store

    def __len__(self) -> int:
        return self.index.ntotal


class SQLiteStore(VectorStore):
    def __init__(self, dim: int, path: str = ":memory:") -> None:
        self.dim = dim
        self.conn = sqlite3.connect(path)
        self.conn.execute("CREATE TABLE IF NOT EXISTS vectors (id INTEGER PRIMARY KEY, vec BLOB NOT NULL)")
        self.conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER)")
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('dim', ?)", (dim,))
        self.conn.commit()

    def _stored(self) -> set[int]:
        return {row[0] for row in self.conn.execute("SELECT id FROM vectors")}

    def add(self, ids: list[int], vectors: np.ndarray) -> None:
        check_add(self, ids, vectors, self._stored())
        rows = [(int(i), np.asarray(v, dtype=np.float32).tobytes()) for i, v in zip(ids, vectors, strict=True)]
        self.conn.executemany("INSERT INTO vectors VALUES (?, ?)", rows)
        self.conn.commit()

    def delete(self, ids: list[int]) -> None:
        missing = set(ids) - self._stored()
        if missing:
            raise KeyError(f"not stored: {sorted(missing)}")
        self.conn.executemany("DELETE FROM vectors WHERE id = ?", [(int(i),) for i in ids])
        self.conn.commit()

    def search(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if k < 1:
            raise ValueError(f"k must be >= 1, got {k}")
        rows = self.conn.execute("SELECT id, vec FROM vectors").fetchall()
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        vecs = np.array([np.frombuffer(r[1], dtype=np.float32) for r in rows], dtype=np.float32).reshape(-1, self.dim)
        return top_k(ids, vecs @ np.asarray(q, dtype=np.float32), k)

    def save(self, path: str) -> None:
        target = sqlite3.connect(path)
        self.conn.backup(target)
        target.close()

    @classmethod
    def load(cls, path: str) -> SQLiteStore:
        conn = sqlite3.connect(path)
        dim = conn.execute("SELECT value FROM meta WHERE key = 'dim'").fetchone()[0]
        conn.close()
        return cls(dim, path)

    def __len__(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
