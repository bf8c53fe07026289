"""Tests for ret-05-1, a memory-augmented agent whose long-term memory persists in SQLite.

References: a pure-Python model of the short-term buffer and the long-term store, run side by side with
the agent on random operation sequences that end and reopen sessions on the same database file;
sqlite3 read from a second connection after every step (what is committed, in which order, with which
vector bytes); brute-force float64 cosine ranking for recall.
"""
import sqlite3
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.testing import describe_call

WORDS = ["romeo", "juliet", "poison", "friar", "letter", "mantua", "tomb", "night", "!", "the"]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
ops = st.lists(st.one_of(st.tuples(st.just("observe"), texts), st.tuples(st.just("reopen")),
                         st.tuples(st.just("recall"), texts, st.integers(0, 6))), max_size=18)


def stored(path: Path) -> list[tuple[str, bytes]]:
    with sqlite3.connect(str(path)) as db:
        try:
            return db.execute("SELECT text, vector FROM memories ORDER BY id").fetchall()
        except sqlite3.OperationalError:
            return []


def ref_recall(kata: object, memories: list[str], query: str, k: int) -> list[str]:
    if not memories:
        return []
    v = kata.embed_texts(memories).astype(np.float64)
    q = kata.embed_texts([query]).astype(np.float64)[0]
    n, qn = np.linalg.norm(v, axis=1), np.linalg.norm(q)
    s = v @ q / np.where(n == 0, 1, n) / (qn if qn > 0 else 1)
    return [memories[i] for i in sorted(range(len(memories)), key=lambda i: (-round(s[i], 9), i))[:k]]


@settings(max_examples=25)
@given(ops=ops, buffer_size=st.integers(1, 4))
@example(ops=[("observe", "romeo"), ("observe", "juliet"), ("observe", "romeo"), ("recall", "romeo", 2)], buffer_size=1)
@example(ops=[("observe", "poison"), ("reopen",), ("recall", "poison tomb", 3), ("observe", "tomb")], buffer_size=2)
@example(ops=[("observe", "romeo juliet poison friar"), ("observe", "romeo"), ("reopen",), ("recall", "romeo", 1)],
         buffer_size=3)   # equal dot products, different cosines
@example(ops=[("observe", "!"), ("observe", "romeo"), ("observe", "tomb"), ("recall", "juliet", 2)],
         buffer_size=1)   # a memory without words (zero vector) ties at cosine 0, in storage order
def test_agent_matches_model_across_sessions(kata, ops, buffer_size):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "memory.sqlite"
        agent = kata.MemoryAgent(path, buffer_size=buffer_size)
        buffer, memories, history = [], [], []
        for op in ops:
            history.append(op)
            call = f"after {history} (buffer_size={buffer_size})"
            if op[0] == "observe":
                agent.observe(op[1])
                buffer.append(op[1])
                if len(buffer) > buffer_size:
                    memories.append(buffer.pop(0))
            elif op[0] == "reopen":
                agent.end_session()
                memories += buffer
                buffer = []
                agent = kata.MemoryAgent(path, buffer_size=buffer_size)
            else:
                got = agent.recall(op[1], op[2])
                want = ref_recall(kata, memories, op[1], op[2])
                assert list(got) == want, f"recall({op[1]!r}, {op[2]}) {call} returned {got}, expected {want}"
                ctx = agent.context(op[1], op[2])
                assert list(ctx) == want + buffer, f"context({op[1]!r}, {op[2]}) {call} returned {ctx}, expected {want + buffer}"
            assert list(agent.buffer()) == buffer, f"buffer() {call} is {agent.buffer()}, expected {buffer}"
            rows = stored(path)     # a second connection sees only what was committed
            assert [t for t, _ in rows] == memories, f"the database {call} holds {[t for t, _ in rows]}, expected {memories}"
        agent.end_session()
        rows = stored(path)
        assert [t for t, _ in rows] == memories + buffer, (
            f"after end_session the database holds {[t for t, _ in rows]}, expected {memories + buffer}")
        for text, blob in rows:
            want = kata.embed_texts([text])[0].astype(np.float32).tobytes()
            assert blob == want, f"the vector stored for {text!r} is not the float32 bytes of embed([text])[0]"


@settings(max_examples=10)
@given(n=st.integers(0, 6), k=st.integers(0, 8))
@example(n=3, k=3)
def test_recall_in_a_later_session_with_a_custom_embedding(kata, n, k):
    """Long-term memory written by one agent is recalled by a new one; the embed passed in is used."""
    def embed(batch: list[str]) -> np.ndarray:
        return kata.embed_texts(batch) * 3.0 + 0.5    # not unit length, never zero
    notes = [f"note {w} {WORDS[(i * 3) % len(WORDS)]}" for i, w in enumerate(WORDS[:n])]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.db"
        first = kata.MemoryAgent(path, embed=embed, buffer_size=2)
        for note in notes:
            first.observe(note)
        first.end_session()
        second = kata.MemoryAgent(path, embed=embed, buffer_size=2)
        got = second.recall("juliet poison", k)
        v = embed(notes).astype(np.float64) if notes else np.zeros((0, 128))
        q = embed(["juliet poison"]).astype(np.float64)[0]
        s = v @ q / np.linalg.norm(v, axis=1) / np.linalg.norm(q) if notes else np.zeros(0)
        want = [notes[i] for i in sorted(range(len(notes)), key=lambda i: (-round(s[i], 9), i))[:k]]
        call = describe_call("MemoryAgent.recall", "juliet poison", k) + f" in a new session over {notes}"
        assert list(got) == want, f"{call} returned {got}, expected {want}"
        second.end_session()


def test_default_buffer_size_is_four(kata):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.db"
        agent = kata.MemoryAgent(path)
        for i in range(6):
            agent.observe(f"event {i}")
        assert list(agent.buffer()) == [f"event {i}" for i in range(2, 6)], f"default buffer holds {agent.buffer()}"
        assert [t for t, _ in stored(path)] == ["event 0", "event 1"], "the two evicted events must be committed"
        agent.end_session()


@given(buffer_size=st.integers(-2, 0))
def test_bad_buffer_size_raises(kata, buffer_size):
    with tempfile.TemporaryDirectory() as tmp:
        with pytest.raises(ValueError):
            kata.MemoryAgent(Path(tmp) / "m.db", buffer_size=buffer_size)
            pytest.fail(f"MemoryAgent(buffer_size={buffer_size}) returned instead of raising ValueError")


def test_negative_k_raises(kata):
    with tempfile.TemporaryDirectory() as tmp:
        agent = kata.MemoryAgent(Path(tmp) / "m.db", buffer_size=1)
        agent.observe("romeo")
        agent.observe("juliet")
        with pytest.raises(ValueError):
            agent.recall("romeo", -1)
            pytest.fail("recall(k=-1) returned instead of raising ValueError")
        agent.end_session()
