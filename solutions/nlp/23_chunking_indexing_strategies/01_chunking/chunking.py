"""Reference solution for nlp-23-1."""
from __future__ import annotations

import re
from collections.abc import Sequence

Span = tuple[int, int]

_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


def sentence_spans(text: str) -> list[Span]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        while start < end and text[start].isspace():
            start += 1
        if start < end:
            spans.append((start, end))
        start = end
    while start < len(text) and text[start].isspace():
        start += 1
    if start < len(text):
        spans.append((start, len(text.rstrip())))
    return spans


def paragraph_spans(text: str) -> list[Span]:
    spans, start = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        if text[start:m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def sentence_chunks(text: str, max_chars: int) -> list[Span]:
    if max_chars < 1:
        raise ValueError(f"max_chars must be >= 1, got {max_chars}")
    chunks: list[Span] = []
    for s, e in sentence_spans(text):
        if chunks and e - chunks[-1][0] <= max_chars:
            chunks[-1] = (chunks[-1][0], e)
        else:
            chunks.append((s, e))
    return chunks


def sliding_window_chunks(length: int, size: int, stride: int) -> list[Span]:
    if size < 1 or stride < 1 or stride > size:
        raise ValueError(f"need 1 <= stride <= size, got {size=}, {stride=}")
    if length == 0:
        return []
    spans = [(s, min(s + size, length)) for s in range(0, max(length - size, 0) + 1, stride)]
    if spans[-1][1] < length:
        spans.append((length - size, length))
    return spans


def span_coverage(chunks: Sequence[Span], facts: Sequence[Span]) -> float:
    if not facts:
        raise ValueError("no facts to cover")
    return sum(any(cs <= fs and fe <= ce for cs, ce in chunks) for fs, fe in facts) / len(facts)
