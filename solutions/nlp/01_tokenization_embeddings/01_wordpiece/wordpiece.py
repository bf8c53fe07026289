"""Reference solution for nlp-01-1."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence


def tokenize_word(word: str, vocab: Mapping[str, int], unk_token: str = "[UNK]", prefix: str = "##",
                  max_chars: int = 100) -> list[str]:
    if len(word) > max_chars:
        return [unk_token]
    tokens: list[str] = []
    start = 0
    while start < len(word):
        for end in range(len(word), start, -1):
            piece = word[start:end] if start == 0 else prefix + word[start:end]
            if piece in vocab:
                tokens.append(piece)
                start = end
                break
        else:
            return [unk_token]
    return tokens


def tokenize(text: str, vocab: Mapping[str, int], unk_token: str = "[UNK]", prefix: str = "##",
             max_chars: int = 100) -> list[str]:
    return [tok for word in text.split() for tok in tokenize_word(word, vocab, unk_token, prefix, max_chars)]


def encode(text: str, vocab: Mapping[str, int], unk_token: str = "[UNK]", prefix: str = "##",
           max_chars: int = 100) -> list[int]:
    return [vocab[tok] for tok in tokenize(text, vocab, unk_token, prefix, max_chars)]


def decode(ids: Sequence[int], vocab: Mapping[str, int], prefix: str = "##") -> str:
    inverse = {i: tok for tok, i in vocab.items()}
    out = ""
    for n, i in enumerate(ids):
        tok = inverse[int(i)]
        if n == 0:
            out = tok
        elif tok.startswith(prefix):
            out += tok[len(prefix):]
        else:
            out += " " + tok
    return out


def merge_scores(word_counts: Mapping[str, int],
                 splits: Mapping[str, Sequence[str]]) -> dict[tuple[str, str], float]:
    pieces: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for word, count in word_counts.items():
        split = list(splits[word])
        for piece in split:
            pieces[piece] += count
        for a, b in zip(split, split[1:], strict=False):
            pairs[(a, b)] += count
    return {(a, b): c / (pieces[a] * pieces[b]) for (a, b), c in pairs.items()}
