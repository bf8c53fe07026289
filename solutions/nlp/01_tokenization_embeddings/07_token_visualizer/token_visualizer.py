"""Reference solution for nlp-01-7."""
from __future__ import annotations

import html
import re
from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

# Background colours, given: token i (its position, not its id) gets PALETTE[i % len(PALETTE)],
# so neighbouring tokens always differ.
PALETTE = ("#ffd6a5", "#caffbf", "#9bf6ff", "#bdb2ff", "#ffadad", "#fdffb6")


def visible(chunk: str) -> str:
    """A token's text with whitespace made visible for labels, given: ' ' -> '␣', '\\n' -> '⏎', '\\t' -> '⇥'."""
    return chunk.replace(" ", "\u2423").replace("\n", "\u23ce").replace("\t", "\u21e5")


def _char_starts(text: str) -> list[int]:
    """Byte offset at which every character starts, plus the total length."""
    starts, offset = [], 0
    for ch in text:
        starts.append(offset)
        offset += len(ch.encode("utf-8"))
    return [*starts, offset]


def _byte_ranges(pieces: Sequence[bytes]) -> list[tuple[int, int]]:
    ranges, offset = [], 0
    for piece in pieces:
        ranges.append((offset, offset + len(piece)))
        offset += len(piece)
    return ranges


def char_spans(text: str, pieces: Sequence[bytes]) -> list[tuple[int, int]]:
    if b"".join(pieces) != text.encode("utf-8"):
        raise ValueError("the pieces do not spell the text")
    starts = _char_starts(text)[:-1]
    spans = []
    char = 0
    for _, b1 in _byte_ranges(pieces):
        begin = char
        while char < len(starts) and starts[char] < b1:
            char += 1
        spans.append((begin, char))
    return spans


def words_to_ids(text: str, pieces: Sequence[bytes], ids: Sequence[int]) -> list[tuple[str, list[int]]]:
    starts = _char_starts(text)
    ranges = _byte_ranges(pieces)
    out = []
    for match in re.finditer(r"\S+", text):
        w0, w1 = starts[match.start()], starts[match.end()]
        out.append((match.group(), [int(i) for (b0, b1), i in zip(ranges, ids, strict=True) if b0 < w1 and b1 > w0]))
    return out


def render_html(text: str, spans: Sequence[tuple[int, int]], ids: Sequence[int]) -> str:
    parts = [f'<span class="tok" title="{int(i)}" style="background: {PALETTE[n % len(PALETTE)]}">'
             f"{html.escape(text[a:b])}</span>" for n, ((a, b), i) in enumerate(zip(spans, ids, strict=True))]
    return '<div class="tokens" style="white-space: pre-wrap">' + "".join(parts) + "</div>"


def plot_tokens(text: str, spans: Sequence[tuple[int, int]], ids: Sequence[int], per_row: int = 8) -> Figure:
    rows = max(1, -(-len(ids) // per_row))
    fig, ax = plt.subplots(figsize=(1.3 * per_row, 1.0 * rows + 0.5))
    for n, ((a, b), i) in enumerate(zip(spans, ids, strict=True)):
        x, y = n % per_row, -(n // per_row)
        ax.add_patch(Rectangle((x + 0.05, y + 0.05), 0.9, 0.9, facecolor=PALETTE[n % len(PALETTE)], edgecolor="grey"))
        ax.text(x + 0.5, y + 0.62, visible(text[a:b]), ha="center", va="center", fontsize=9)
        ax.text(x + 0.5, y + 0.25, str(int(i)), ha="center", va="center", fontsize=8, color="dimgrey")
    ax.set_xlim(0, per_row)
    ax.set_ylim(-rows + 1, 1)
    ax.set_axis_off()
    return fig
