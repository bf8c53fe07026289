"""ret-02-6: a vector-store interface with NumPy, FAISS and SQLite backends.
Edit this file; `grader check ret-02-6` tests it. `top_k`, `VectorStore` and `check_add` are given.
"""
from __future__ import annotations

from abc import ABC, abstractmethod

import faiss  # noqa: F401  (FaissStore is built on it)
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
    """Vectors in a NumPy array (ids alongside); save/load with np.savez / np.load.

    Shapes:
        add: ids (m,), vectors (m, dim); search: q (dim,) -> (ids (<= k,) int64, scores (<= k,) float32)
    """

    def __init__(self, dim: int) -> None:
        raise NotImplementedError("NumpyStore.__init__: an empty store")

    def add(self, ids: list[int], vectors: np.ndarray) -> None:
        raise NotImplementedError("NumpyStore.add")

    def delete(self, ids: list[int]) -> None:
        raise NotImplementedError("NumpyStore.delete")

    def search(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError("NumpyStore.search")

    def save(self, path: str) -> None:
        raise NotImplementedError("NumpyStore.save")

    @classmethod
    def load(cls, path: str) -> NumpyStore:
        raise NotImplementedError("NumpyStore.load")

    def __len__(self) -> int:
        raise NotImplementedError("NumpyStore.__len__")


class FaissStore(VectorStore):
    """Vectors in a faiss.IndexIDMap2 over faiss.IndexFlatIP (add_with_ids, remove_ids); save/load
    with faiss.write_index / faiss.read_index. Equal scores must still come out in increasing id.
    """

    def __init__(self, dim: int) -> None:
        raise NotImplementedError("FaissStore.__init__: an empty IndexIDMap2(IndexFlatIP(dim))")

    def add(self, ids: list[int], vectors: np.ndarray) -> None:
        raise NotImplementedError("FaissStore.add")

    def delete(self, ids: list[int]) -> None:
        raise NotImplementedError("FaissStore.delete")

    def search(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError("FaissStore.search")

    def save(self, path: str) -> None:
        raise NotImplementedError("FaissStore.save")

    @classmethod
    def load(cls, path: str) -> FaissStore:
        raise NotImplementedError("FaissStore.load")

    def __len__(self) -> int:
        raise NotImplementedError("FaissStore.__len__")


class SQLiteStore(VectorStore):
    """Vectors as float32 BLOBs in an SQLite database (the standard library's sqlite3), at `path`
    (":memory:" by default); every change is committed at once. save(path) copies the database to
    path (Connection.backup); load(path) opens it, recovering dim from the file.
    """

    def __init__(self, dim: int, path: str = ":memory:") -> None:
        raise NotImplementedError("SQLiteStore.__init__: connect and create the tables")

    def add(self, ids: list[int], vectors: np.ndarray) -> None:
        raise NotImplementedError("SQLiteStore.add")

    def delete(self, ids: list[int]) -> None:
        raise NotImplementedError("SQLiteStore.delete")

    def search(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError("SQLiteStore.search")

    def save(self, path: str) -> None:
        raise NotImplementedError("SQLiteStore.save")

    @classmethod
    def load(cls, path: str) -> SQLiteStore:
        raise NotImplementedError("SQLiteStore.load")

    def __len__(self) -> int:
        raise NotImplementedError("SQLiteStore.__len__")
