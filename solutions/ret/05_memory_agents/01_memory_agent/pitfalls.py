"""Plausible wrong memory agents that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from memory_agent import MemoryAgent


@pitfall(replaces="MemoryAgent._store", why="commits only at end_session: a crash mid-session loses every evicted memory")
def commit_at_end(self: MemoryAgent, text: str) -> None:
    vector = np.asarray(self.embed([text])[0], dtype=np.float32)
    self.db.execute("INSERT INTO memories (text, vector) VALUES (?, ?)", (text, vector.tobytes()))
    if not self.short:                  # only the last flush of end_session commits
        self.db.commit()


@pitfall(replaces="MemoryAgent.end_session", why="closes without flushing the buffer: the session's last observations are lost")
def no_flush(self: MemoryAgent) -> None:
    self.db.commit()
    self.db.close()


@pitfall(replaces="MemoryAgent.observe", why="when the buffer is full, drops the new text instead of evicting the oldest")
def drop_newest(self: MemoryAgent, text: str) -> None:
    if len(self.short) == self.buffer_size:
        self._store(text)
        return
    self.short.append(text)


@pitfall(replaces="MemoryAgent.recall", why="ranks by the raw dot product: long memories outrank relevant ones")
def dot_product_recall(self: MemoryAgent, query: str, k: int) -> list[str]:
    if k < 0:
        raise ValueError("k")
    rows = self.db.execute("SELECT text, vector FROM memories ORDER BY id").fetchall()
    if not rows:
        return []
    vectors = np.stack([np.frombuffer(v, dtype=np.float32) for _, v in rows]).astype(np.float64)
    scores = vectors @ np.asarray(self.embed([query])[0], dtype=np.float64)
    return [rows[i][0] for i in np.argsort(-scores, kind="stable")[:k]]


@pitfall(replaces="MemoryAgent.recall", why="reads the rows without ORDER BY id and breaks ties newest first")
def newest_first_ties(self: MemoryAgent, query: str, k: int) -> list[str]:
    if k < 0:
        raise ValueError("k")
    rows = self.db.execute("SELECT text, vector FROM memories ORDER BY id DESC").fetchall()
    if not rows:
        return []
    vectors = np.stack([np.frombuffer(v, dtype=np.float32) for _, v in rows]).astype(np.float64)
    norms = np.linalg.norm(vectors, axis=1)
    q = np.asarray(self.embed([query])[0], dtype=np.float64)
    scores = vectors @ q / np.where(norms == 0, 1, norms) / max(np.linalg.norm(q), 1e-300)
    return [rows[i][0] for i in np.argsort(-scores, kind="stable")[:k]]


@pitfall(replaces="MemoryAgent.context", why="puts the buffer before the recalled memories")
def buffer_first(self: MemoryAgent, query: str, k: int) -> list[str]:
    return self.buffer() + self.recall(query, k)


@pitfall(replaces="MemoryAgent._store", why="stores the vector as float64 bytes: another reader decodes garbage")
def float64_blob(self: MemoryAgent, text: str) -> None:
    vector = np.asarray(self.embed([text])[0], dtype=np.float64)
    self.db.execute("INSERT INTO memories (text, vector) VALUES (?, ?)", (text, vector.tobytes()))
    self.db.commit()
