"""Reference solution for nlp-01-2."""
from __future__ import annotations

import re
from collections import Counter
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


def _merge(tokens: list[bytes], pair: Merge) -> list[bytes]:
    out: list[bytes] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens) and tokens[i] == pair[0] and tokens[i + 1] == pair[1]:
            out.append(pair[0] + pair[1])
            i += 2
        else:
            out.append(tokens[i])
            i += 1
    return out


def train_bpe(text: str, num_merges: int) -> list[Merge]:
    counts = Counter(pretokenize(text))
    splits = {piece: [bytes([b]) for b in piece.encode("utf-8")] for piece in counts}
    ids = token_ids([])
    merges: list[Merge] = []
    for _ in range(num_merges):
        pairs: Counter[Merge] = Counter()
        for piece, count in counts.items():
            tokens = splits[piece]
            for pair in zip(tokens, tokens[1:], strict=False):
                pairs[pair] += count
        if not pairs:
            break
        best = max(pairs, key=lambda p: (pairs[p], -ids[p[0]], -ids[p[1]]))
        ids.setdefault(best[0] + best[1], 256 + len(merges))
        merges.append(best)
        for piece in counts:
            splits[piece] = _merge(splits[piece], best)
    return merges


def encode(text: str, merges: Sequence[Merge]) -> list[int]:
    ranks = {pair: r for r, pair in reversed(list(enumerate(merges)))}
    vocab = token_ids(merges)
    ids: list[int] = []
    for piece in pretokenize(text):
        tokens = [bytes([b]) for b in piece.encode("utf-8")]
        while len(tokens) > 1:
            best = min(zip(tokens, tokens[1:], strict=False), key=lambda p: ranks.get(p, len(merges)))
            if best not in ranks:
                break
            tokens = _merge(tokens, best)
        ids += [vocab[t] for t in tokens]
    return ids


def decode(ids: Sequence[int], merges: Sequence[Merge]) -> str:
    table = {i: t for t, i in token_ids(merges).items()}
    return b"".join(table[int(i)] for i in ids).decode("utf-8", errors="replace")
