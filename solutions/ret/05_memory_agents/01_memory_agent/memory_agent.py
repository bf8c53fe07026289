"""ret-05-1: a memory-augmented agent with a short-term buffer and long-term recall across sessions.
Edit this file; `grader check ret-05-1` tests it."""
from __future__ import annotations

import re
import sqlite3
import zlib
from collections import deque
from collections.abc import Callable
from pathlib import Path

import numpy as np

SCHEMA = "CREATE TABLE IF NOT EXISTS memories (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL, vector BLOB NOT NULL)"


def embed_texts(texts: list[str], dim: int = 128) -> np.ndarray:
    """A small lexical embedding (given, complete): hashed bag of lowercase words, log(1 + count).

    Not normalized; a text without words embeds to the zero vector.

    Shapes:
        returns: (len(texts), dim) float32
    """
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in re.findall(r"[a-z']+", text.lower()):
            out[row, zlib.crc32(word.encode()) % dim] += 1.0
    return np.log1p(out)


class MemoryAgent:
    def __init__(self, db_path: str | Path, embed: Callable[[list[str]], np.ndarray] = embed_texts,
                 buffer_size: int = 4) -> None:
        if buffer_size < 1:
            raise ValueError(f"buffer_size must be >= 1, got {buffer_size}")
        self.embed = embed
        self.buffer_size = buffer_size
        self.short: deque[str] = deque()
        self.db = sqlite3.connect(str(db_path))
        self.db.execute(SCHEMA)
        self.db.commit()

    def _store(self, text: str) -> None:
        vector = np.asarray(self.embed([text])[0], dtype=np.float32)
        self.db.execute("INSERT INTO memories (text, vector) VALUES (?, ?)", (text, vector.tobytes()))
        self.db.commit()

    def observe(self, text: str) -> None:
        if len(self.short) == self.buffer_size:
            self._store(self.short.popleft())
        self.short.append(text)

    def buffer(self) -> list[str]:
        return list(self.short)

    def recall(self, query: str, k: int) -> list[str]:
        if k < 0:
            raise ValueError(f"k must be >= 0, got {k}")
        rows = self.db.execute("SELECT text, vector FROM memories ORDER BY id").fetchall()
        if not rows:
            return []
        vectors = np.stack([np.frombuffer(v, dtype=np.float32) for _, v in rows])
        norms = np.linalg.norm(vectors, axis=1)
        # cosine up to the query's norm, a positive constant that cannot change the ranking
        scores = vectors @ np.asarray(self.embed([query])).ravel() / np.where(norms == 0, 1, norms)
        order = np.argsort(-scores, kind="stable")[:k]
        return [rows[i][0] for i in order]

    def context(self, query: str, k: int) -> list[str]:
        return self.recall(query, k) + self.buffer()

    def end_session(self) -> None:
        while self.short:
            self._store(self.short.popleft())
        self.db.close()
