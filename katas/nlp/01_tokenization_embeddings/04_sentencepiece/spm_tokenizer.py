"""nlp-01-4: SentencePiece tokenization (unigram model, byte fallback). Edit this file;
`grader check nlp-01-4` tests it."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SPACE = "\u2581"      # "▁", the symbol SentencePiece writes instead of a space
UNK_PENALTY = 10.0    # an unknown character scores (lowest normal score) - UNK_PENALTY
UNK_SURFACE = " \u2047 "  # " ⁇ ", how the unknown piece decodes


@dataclass(frozen=True)
class PieceModel:
    """A trained SentencePiece unigram model, given: piece i has id i.

    kinds[i] is one of
        "normal"   a piece of text, matched against the input, with log-probability scores[i]
        "unknown"  <unk>
        "control"  <s>, </s>: never matched, decode to ""
        "byte"     "<0x00>" ... "<0xFF>": the UTF-8 byte fallback, never matched as text
        "unused"   reserved: never matched
    """

    pieces: tuple[str, ...]
    scores: tuple[float, ...]
    kinds: tuple[str, ...]


def normalize(text: str) -> str:
    """SentencePiece's view of the text: every " " replaced by SPACE, and one SPACE in front (the
    "dummy prefix", so a word looks the same at the start of a text as after a space). The empty
    text stays empty. Nothing else changes (identity normalisation).
    """
    raise NotImplementedError("normalize: prefix SPACE and replace spaces by SPACE")


def encode(text: str, model: PieceModel) -> list[int]:
    """The ids of the best segmentation of normalize(text), with byte fallback.

    Viterbi over the characters of the normalised text: a "normal" piece that matches at a position
    is an edge scored model.scores[id]. At every position where no single-character normal piece
    matches, there is also an edge over that one character for the unknown piece, scored
    min(scores of normal pieces) - UNK_PENALTY. Maximise the total score (on an exact tie, any best
    path). Then every unknown character of the best path is written as the byte pieces
    "<0xNN>" of its UTF-8 bytes, in order.
    """
    raise NotImplementedError("encode: normalize, Viterbi with unknown-character edges, byte fallback")


def decode(ids: Sequence[int], model: PieceModel) -> str:
    """The text of `ids`, as SentencePiece decodes it.

    - control pieces decode to ""; the unknown piece to UNK_SURFACE;
    - runs of consecutive byte pieces are joined into bytes and decoded as UTF-8, where every byte
      that does not start a valid character (with the bytes after it) becomes U+FFFD on its own;
    - normal pieces have SPACE replaced by " ", except that the first piece that is not a control
      piece, if it is a normal piece starting with SPACE, loses that one SPACE (the dummy prefix).
    """
    raise NotImplementedError("decode: pieces -> text, byte runs -> UTF-8, drop the dummy prefix")
