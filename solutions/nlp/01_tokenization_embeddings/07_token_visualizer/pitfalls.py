"""Plausible wrong token-visualizer implementations that the tests must reject."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from token_visualizer import PALETTE, _byte_ranges, char_spans


@pitfall(replaces="char_spans", why="byte offsets instead of character offsets")
def byte_offsets(text: str, pieces: Sequence[bytes]) -> list[tuple[int, int]]:
    if b"".join(pieces) != text.encode("utf-8"):
        raise ValueError("the pieces do not spell the text")
    return _byte_ranges(pieces)


@pitfall(replaces="char_spans", why="adds up len(piece.decode(errors='replace')): a split character counts twice")
def decoded_lengths(text: str, pieces: Sequence[bytes]) -> list[tuple[int, int]]:
    if b"".join(pieces) != text.encode("utf-8"):
        raise ValueError("the pieces do not spell the text")
    spans, start = [], 0
    for piece in pieces:
        end = start + len(piece.decode("utf-8", errors="replace"))
        spans.append((start, end))
        start = end
    return spans


@pitfall(replaces="char_spans", why="finds each token with text.find(chunk) from the start, so repeated chunks map to the first one")
def find_from_start(text: str, pieces: Sequence[bytes]) -> list[tuple[int, int]]:
    if b"".join(pieces) != text.encode("utf-8"):
        raise ValueError("the pieces do not spell the text")
    spans = []
    for piece in pieces:
        chunk = piece.decode("utf-8", errors="ignore")
        start = max(text.find(chunk), 0)
        spans.append((start, start + len(chunk)))
    return spans


@pitfall(replaces="words_to_ids", why="assigns a token to the word at its first character, so ' cat' (leading space) is lost")
def word_at_token_start(text: str, pieces: Sequence[bytes], ids: Sequence[int]) -> list[tuple[str, list[int]]]:
    spans = char_spans(text, pieces)
    out = []
    for match in re.finditer(r"\S+", text):
        out.append((match.group(), [int(i) for (a, b), i in zip(spans, ids, strict=True)
                                    if match.start() <= a < match.end()]))
    return out


@pitfall(replaces="render_html", why="puts the raw text in the spans without html.escape")
def unescaped(text: str, spans: Sequence[tuple[int, int]], ids: Sequence[int]) -> str:
    parts = [f'<span class="tok" title="{int(i)}" style="background: {PALETTE[n % len(PALETTE)]}">{text[a:b]}</span>'
             for n, ((a, b), i) in enumerate(zip(spans, ids, strict=True))]
    return '<div class="tokens" style="white-space: pre-wrap">' + "".join(parts) + "</div>"


@pitfall(replaces="render_html", why="colours by token id, so two equal neighbouring tokens blend into one")
def colour_by_id(text: str, spans: Sequence[tuple[int, int]], ids: Sequence[int]) -> str:
    import html

    parts = [f'<span class="tok" title="{int(i)}" style="background: {PALETTE[int(i) % len(PALETTE)]}">'
             f"{html.escape(text[a:b])}</span>" for (a, b), i in zip(spans, ids, strict=True)]
    return '<div class="tokens" style="white-space: pre-wrap">' + "".join(parts) + "</div>"
