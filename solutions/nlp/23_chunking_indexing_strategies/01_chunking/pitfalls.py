"""Plausible wrong chunkers that the tests must reject."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from chunking import Span, sentence_spans


@pitfall(replaces="sentence_spans", why="splits on every period, even without following whitespace")
def every_period(text: str) -> list[Span]:
    spans, start = [], 0
    for m in re.finditer(r"[.!?]+", text):
        while start < m.end() and text[start].isspace():
            start += 1
        if start < m.end():
            spans.append((start, m.end()))
        start = m.end()
    rest = text[start:]
    if rest.strip():
        s = start + len(rest) - len(rest.lstrip())
        spans.append((s, len(text.rstrip())))
    return spans


@pitfall(replaces="sentence_spans", why="drops the unfinished text after the last sentence end")
def drops_tail(text: str) -> list[Span]:
    return [(s, e) for s, e in _solution_spans(text) if text[e - 1] in ".!?"]


def _solution_spans(text: str) -> list[Span]:
    return sentence_spans(text)


@pitfall(replaces="paragraph_spans", why="splits on every newline")
def every_newline(text: str) -> list[Span]:
    spans, start = [], 0
    for m in re.finditer(r"\n\s*", text):
        if text[start:m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


@pitfall(replaces="sentence_chunks", why="counts the chunk length as the sum of sentence lengths (ignores the gaps)")
def ignores_gaps(text: str, max_chars: int) -> list[Span]:
    if max_chars < 1:
        raise ValueError("max_chars")
    chunks: list[Span] = []
    used = 0
    for s, e in sentence_spans(text):
        if chunks and used + (e - s) <= max_chars:
            chunks[-1] = (chunks[-1][0], e)
            used += e - s
        else:
            chunks.append((s, e))
            used = e - s
    return chunks


@pitfall(replaces="sliding_window_chunks", why="no final window: the tail after the last stride is lost")
def no_tail(length: int, size: int, stride: int) -> list[Span]:
    if size < 1 or stride < 1 or stride > size:
        raise ValueError("sizes")
    return [(s, min(s + size, length)) for s in range(0, max(length - size, 0) + 1, stride)] if length else []


@pitfall(replaces="span_coverage", why="counts a fact as covered if it overlaps a chunk at all")
def overlap_counts(chunks: Sequence[Span], facts: Sequence[Span]) -> float:
    if not facts:
        raise ValueError("no facts")
    return sum(any(cs < fe and fs < ce or (cs <= fs and fe <= ce) for cs, ce in chunks) for fs, fe in facts) / len(facts)
