"""ret-05-1: a memory-augmented agent with a short-term buffer and long-term recall across sessions.
Edit this file; `grader check ret-05-1` tests it."""
from __future__ import annotations

import re
import sqlite3  # noqa: F401  (you will need it)
import zlib
from collections import deque  # noqa: F401  (you will need it)
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
    """An agent's memory: a short-term buffer of recent observations and a long-term store on disk.

    Long-term memory is the SQLite database at db_path, table SCHEMA: one row per memory, `vector`
    the float32 bytes (ndarray.tobytes()) of embed([text])[0]. Rows are never changed or deleted; a
    later session (a new MemoryAgent on the same file) sees every memory of the earlier ones.
    """

    def __init__(self, db_path: str | Path, embed: Callable[[list[str]], np.ndarray] = embed_texts,
                 buffer_size: int = 4) -> None:
        """Open (or create) the database and start a session with an empty buffer.

        Raises:
            ValueError: if buffer_size < 1.
        """
        raise NotImplementedError("MemoryAgent.__init__: connect, create the table, empty buffer")

    def observe(self, text: str) -> None:
        """Add text to the short-term buffer. When the buffer already holds buffer_size texts, the
        oldest one leaves it and is written to long-term memory, committed at once (a crash later
        in the session must not lose it)."""
        raise NotImplementedError("MemoryAgent.observe: append; move the evicted text to SQLite and commit")

    def buffer(self) -> list[str]:
        """The short-term buffer, oldest first."""
        raise NotImplementedError("MemoryAgent.buffer")

    def recall(self, query: str, k: int) -> list[str]:
        """The min(k, stored) long-term memories most cosine-similar to the query, best first; equal
        similarities in the order the memories were stored (older first). A zero vector has cosine 0.

        Raises:
            ValueError: if k < 0.
        """
        raise NotImplementedError("MemoryAgent.recall: read the vectors, cosine with the query, top k")

    def context(self, query: str, k: int) -> list[str]:
        """What a prompt would carry: recall(query, k) followed by the buffer (oldest first)."""
        raise NotImplementedError("MemoryAgent.context")

    def end_session(self) -> None:
        """Write the buffer (oldest first) to long-term memory, commit, and close the database."""
        raise NotImplementedError("MemoryAgent.end_session: flush the buffer, commit, close")
