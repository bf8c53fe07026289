"""nlp-01-2: byte-level Byte-Pair Encoding. Edit this file; `grader check nlp-01-2` tests it."""
from __future__ import annotations

import re
from collections.abc import Sequence

# Pre-tokenization, given: a piece is an optional space followed by non-spaces, or a run of spaces.
# Merges never cross a piece boundary.
PATTERN = re.compile(r" ?[^ ]+| +")

Merge = tuple[bytes, bytes]


def pretokenize(text: str) -> list[str]:
    """Cut text into the pieces BPE works inside, given: "the cat  sat" -> ["the", " cat", "  ", "sat"]."""
    return PATTERN.findall(text)


def token_ids(merges: Sequence[Merge]) -> dict[bytes, int]:
    """The vocabulary, given: byte value b is token id b (0..255); merge i creates token id 256 + i.

    A merge that recreates a token that already exists keeps the older id.
    """
    vocab = {bytes([b]): b for b in range(256)}
    for i, (left, right) in enumerate(merges):
        vocab.setdefault(left + right, 256 + i)
    return vocab


def train_bpe(text: str, num_merges: int) -> list[Merge]:
    """Learn up to `num_merges` merges from `text`, byte-level BPE.

    Every piece of `pretokenize(text)` starts as its UTF-8 bytes, one token per byte; identical
    pieces are counted together. Each step counts every adjacent pair of tokens inside every piece
    (weighted by how often the piece occurs; "aaa" holds the pair (a, a) twice), merges the most
    frequent pair everywhere (left to right, non-overlapping), and records it. Ties go to the pair
    whose (left id, right id) is smallest, ids as in `token_ids`: bytes first by value, then merged
    tokens in the order they were created. Stop early when no piece has two tokens left.

    Shapes:
        returns: [(left_bytes, right_bytes), ...] in the order learned, at most num_merges long
    """
    raise NotImplementedError("train_bpe: count pairs per piece, merge the best one, repeat")


def encode(text: str, merges: Sequence[Merge]) -> list[int]:
    """Token ids of `text`: each piece of `pretokenize(text)` starts as its UTF-8 bytes, then the
    adjacent pair with the LOWEST merge rank (index in `merges`) is merged, all its occurrences left
    to right, until no adjacent pair is a merge. Ids as in `token_ids(merges)`.
    """
    raise NotImplementedError("encode: per piece, repeatedly apply the lowest-ranked applicable merge")


def decode(ids: Sequence[int], merges: Sequence[Merge]) -> str:
    """The text of `ids`: concatenate the tokens' bytes, then decode UTF-8 once, invalid bytes
    replaced by U+FFFD (`bytes.decode("utf-8", errors="replace")`)."""
    raise NotImplementedError("decode: join all token bytes first, then decode UTF-8")
