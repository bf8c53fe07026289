"""Plausible wrong BPE implementations that the tests must reject."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from bpe import Merge, _merge, pretokenize, token_ids


def _train(pieces: Counter, num_merges: int, tie_by_ids: bool = True) -> list[Merge]:
    splits = {p: [bytes([b]) for b in p.encode("utf-8")] for p in pieces}
    ids = token_ids([])
    merges: list[Merge] = []
    for _ in range(num_merges):
        pairs: Counter[Merge] = Counter()
        for piece, count in pieces.items():
            tokens = splits[piece]
            for pair in zip(tokens, tokens[1:], strict=False):
                pairs[pair] += count
        if not pairs:
            break
        if tie_by_ids:
            best = max(pairs, key=lambda p: (pairs[p], -ids[p[0]], -ids[p[1]]))
        else:
            best = pairs.most_common(1)[0][0]
        ids.setdefault(best[0] + best[1], 256 + len(merges))
        merges.append(best)
        for piece in pieces:
            splits[piece] = _merge(splits[piece], best)
    return merges


@pitfall(replaces="train_bpe", why="breaks ties by first occurrence (Counter.most_common) instead of by token ids")
def ties_by_first_seen(text: str, num_merges: int) -> list[Merge]:
    return _train(Counter(pretokenize(text)), num_merges, tie_by_ids=False)


@pitfall(replaces="train_bpe", why="counts pairs across piece boundaries: trains on the whole text as one piece")
def pairs_across_pieces(text: str, num_merges: int) -> list[Merge]:
    return _train(Counter([text]) if text else Counter(), num_merges)


@pitfall(replaces="train_bpe", why="counts each distinct piece once, ignoring how often it occurs")
def unweighted_pieces(text: str, num_merges: int) -> list[Merge]:
    return _train(Counter(set(pretokenize(text))), num_merges)


@pitfall(replaces="encode", why="merges the first applicable pair from the left instead of the lowest-ranked one")
def left_to_right(text: str, merges: Sequence[Merge]) -> list[int]:
    known = set(map(tuple, merges))
    vocab = token_ids(merges)
    ids: list[int] = []
    for piece in pretokenize(text):
        tokens = [bytes([b]) for b in piece.encode("utf-8")]
        changed = True
        while changed:
            changed = False
            for i in range(len(tokens) - 1):
                if (tokens[i], tokens[i + 1]) in known:
                    tokens[i:i + 2] = [tokens[i] + tokens[i + 1]]
                    changed = True
                    break
        ids += [vocab[t] for t in tokens]
    return ids


@pitfall(replaces="_merge", why="a for loop that does not skip the right half of a merged pair: 'a a a' -> 'aa aa'")
def overlapping_merge(tokens: list[bytes], pair: Merge) -> list[bytes]:
    out: list[bytes] = []
    for i in range(len(tokens)):
        if i + 1 < len(tokens) and (tokens[i], tokens[i + 1]) == pair:
            out.append(tokens[i] + tokens[i + 1])
        elif i > 0 and (tokens[i - 1], tokens[i]) == pair:
            continue
        else:
            out.append(tokens[i])
    return out


@pitfall(replaces="encode", why="starts from characters with id ord(c), which is only a byte for ASCII")
def characters_not_bytes(text: str, merges: Sequence[Merge]) -> list[int]:
    ranks = {pair: r for r, pair in reversed(list(enumerate(merges)))}
    vocab = token_ids(merges)
    ids: list[int] = []
    for piece in pretokenize(text):
        tokens = [c.encode("utf-8") if ord(c) < 128 else bytes([ord(c) % 256]) for c in piece]
        while len(tokens) > 1:
            best = min(zip(tokens, tokens[1:], strict=False), key=lambda p: ranks.get(p, len(merges)))
            if best not in ranks:
                break
            tokens = _merge(tokens, best)
        ids += [vocab[t] for t in tokens]
    return ids


@pitfall(replaces="decode", why="decodes every token's bytes separately, so characters split over tokens break")
def decode_per_token(ids: Sequence[int], merges: Sequence[Merge]) -> str:
    table = {i: t for t, i in token_ids(merges).items()}
    return "".join(table[int(i)].decode("utf-8", errors="replace") for i in ids)
