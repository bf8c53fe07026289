"""nlp-01-7: a token visualizer that maps words and chunks of text to token ids. Edit this file;
`grader check nlp-01-7` tests it."""
from __future__ import annotations

import html  # noqa: F401  (html.escape, for render_html)
import re  # noqa: F401  (re.finditer, for words_to_ids)
from collections.abc import Sequence

import matplotlib.pyplot as plt  # noqa: F401  (for plot_tokens)
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle  # noqa: F401  (for plot_tokens)

# Background colours, given: token i (its position, not its id) gets PALETTE[i % len(PALETTE)],
# so neighbouring tokens always differ.
PALETTE = ("#ffd6a5", "#caffbf", "#9bf6ff", "#bdb2ff", "#ffadad", "#fdffb6")


def visible(chunk: str) -> str:
    """A token's text with whitespace made visible for labels, given: ' ' -> '␣', '\\n' -> '⏎', '\\t' -> '⇥'."""
    return chunk.replace(" ", "\u2423").replace("\n", "\u23ce").replace("\t", "\u21e5")


def char_spans(text: str, pieces: Sequence[bytes]) -> list[tuple[int, int]]:
    """The character span [start, end) of every token of a byte-level tokenizer.

    `pieces` are the tokens' bytes; together they must be exactly text.encode("utf-8"). A token
    that holds bytes [b0, b1) of the text gets start = the number of characters whose FIRST byte
    lies before b0, and end = the number of characters whose first byte lies before b1. So each
    character belongs to the token holding its first byte, a token made only of the continuation
    bytes of a character gets an empty span (start == end), and the spans tile the text:
    spans[0][0] == 0, spans[i][1] == spans[i + 1][0], spans[-1][1] == len(text).

    Raises:
        ValueError: if b"".join(pieces) != text.encode("utf-8").
    """
    raise NotImplementedError("char_spans: walk the bytes, counting the characters that start before each cut")


def words_to_ids(text: str, pieces: Sequence[bytes], ids: Sequence[int]) -> list[tuple[str, list[int]]]:
    """Every word of the text (a maximal run of non-whitespace, re.finditer(r"\\S+")) with the ids of
    the tokens that hold at least one of its bytes, in token order.

    A token like " cat" belongs to the word "cat"; a token made only of spaces belongs to no word; a
    token that straddles two words belongs to both.

    Shapes:
        returns: [(word, [token ids]), ...], one entry per word, in text order
    """
    raise NotImplementedError("words_to_ids: compare the byte ranges of words and tokens")


def render_html(text: str, spans: Sequence[tuple[int, int]], ids: Sequence[int]) -> str:
    """An HTML fragment showing the text cut into its tokens.

    A <div class="tokens" style="white-space: pre-wrap"> holding, for token i in order, one
        <span class="tok" title="{ids[i]}" style="background: {PALETTE[i % len(PALETTE)]}">...</span>
    whose content is text[start:end] escaped with html.escape (an empty span for an empty token).
    Reading the fragment's text back therefore gives exactly `text`.
    """
    raise NotImplementedError("render_html: one escaped, coloured <span> per token")


def plot_tokens(text: str, spans: Sequence[tuple[int, int]], ids: Sequence[int], per_row: int = 8) -> Figure:
    """Draw the tokens as coloured boxes, `per_row` boxes per row, on ONE axes with its axis turned off.

    Token i is a Rectangle patch coloured PALETTE[i % len(PALETTE)], labelled with
    visible(text[start:end]) and, below it, its id: exactly one Rectangle per token, and a text
    artist whose string is str(ids[i]) for each token.
    """
    raise NotImplementedError("plot_tokens: one Rectangle and one id label per token")
