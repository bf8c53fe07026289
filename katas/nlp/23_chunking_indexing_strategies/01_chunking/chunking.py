"""nlp-23-1: sentence, paragraph and sliding-window chunking. Edit this file;
`grader check nlp-23-1` tests it."""
from __future__ import annotations

import re  # noqa: F401
from collections.abc import Sequence

Span = tuple[int, int]

def sentence_spans(text: str) -> list[Span]:
    """(start, end) character spans of the sentences of text. A sentence ends at a run of ".", "!" or "?"
    followed by whitespace or the end of the text; text after the last such run is a final sentence. Spans
    exclude surrounding whitespace; whitespace-only pieces are not sentences."""
    raise NotImplementedError("sentence_spans: find the sentence ends, trim whitespace")


def paragraph_spans(text: str) -> list[Span]:
    """Spans of the paragraphs: pieces separated by blank lines (a newline, optional spaces or tabs, a newline,
    and any whitespace after), trailing whitespace of the text excluded, empty pieces dropped."""
    raise NotImplementedError("paragraph_spans: split at blank lines")


def sentence_chunks(text: str, max_chars: int) -> list[Span]:
    """Greedy packing of whole sentences: a sentence joins the current chunk if the chunk, from its first
    sentence's start to this sentence's end, is at most max_chars long; otherwise it starts a new chunk (a
    sentence longer than max_chars is a chunk of its own).

    Raises:
        ValueError: if max_chars < 1.
    """
    raise NotImplementedError("sentence_chunks: pack sentence spans greedily")


def sliding_window_chunks(length: int, size: int, stride: int) -> list[Span]:
    """Windows over a text of `length` characters: (s, min(s + size, length)) for s = 0, stride, 2 stride, ...
    while s <= length - size (just s = 0 if length < size); if the last window ends before `length`, one more
    window (length - size, length). No windows for an empty text.

    Raises:
        ValueError: unless 1 <= stride <= size.
    """
    raise NotImplementedError("sliding_window_chunks: regular starts, plus a final window for the tail")


def span_coverage(chunks: Sequence[Span], facts: Sequence[Span]) -> float:
    """Fraction of facts (spans) lying entirely inside at least one chunk.

    Raises:
        ValueError: if there are no facts.
    """
    raise NotImplementedError("span_coverage: a fact counts if some chunk contains it whole")
