"""Plausible wrong WordPiece implementations that the tests must reject."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from wordpiece import merge_scores, tokenize_word


@pitfall(replaces="tokenize_word", why="greedy SHORTEST match first instead of longest")
def shortest_match(word: str, vocab: Mapping[str, int], unk_token: str = "[UNK]", prefix: str = "##",
                   max_chars: int = 100) -> list[str]:
    if len(word) > max_chars:
        return [unk_token]
    tokens, start = [], 0
    while start < len(word):
        for end in range(start + 1, len(word) + 1):
            piece = word[start:end] if start == 0 else prefix + word[start:end]
            if piece in vocab:
                tokens.append(piece)
                start = end
                break
        else:
            return [unk_token]
    return tokens


@pitfall(replaces="tokenize_word", why="looks continuation pieces up without the '##' prefix")
def no_continuation_prefix(word: str, vocab: Mapping[str, int], unk_token: str = "[UNK]", prefix: str = "##",
                           max_chars: int = 100) -> list[str]:
    if len(word) > max_chars:
        return [unk_token]
    tokens, start = [], 0
    while start < len(word):
        for end in range(len(word), start, -1):
            if word[start:end] in vocab:
                tokens.append(word[start:end])
                start = end
                break
        else:
            return [unk_token]
    return tokens


@pitfall(replaces="tokenize_word", why="keeps the pieces matched so far and makes only the unmatched rest [UNK]")
def partial_unk(word: str, vocab: Mapping[str, int], unk_token: str = "[UNK]", prefix: str = "##",
                max_chars: int = 100) -> list[str]:
    if len(word) > max_chars:
        return [unk_token]
    tokens, start = [], 0
    while start < len(word):
        for end in range(len(word), start, -1):
            piece = word[start:end] if start == 0 else prefix + word[start:end]
            if piece in vocab:
                tokens.append(piece)
                start = end
                break
        else:
            return tokens + [unk_token]
    return tokens


@pitfall(replaces="tokenize_word", why="measures the word in UTF-8 bytes instead of characters against max_chars")
def max_chars_in_bytes(word: str, vocab: Mapping[str, int], unk_token: str = "[UNK]", prefix: str = "##",
                       max_chars: int = 100) -> list[str]:
    if len(word.encode("utf-8")) > max_chars:
        return [unk_token]
    return _solution_tokenize_word(word, vocab, unk_token, prefix, 10**9)


@pitfall(replaces="tokenize_word", why="off-by-one limit: a word of exactly max_chars characters becomes [UNK]")
def max_chars_off_by_one(word: str, vocab: Mapping[str, int], unk_token: str = "[UNK]", prefix: str = "##",
                         max_chars: int = 100) -> list[str]:
    if len(word) >= max_chars:
        return [unk_token]
    return _solution_tokenize_word(word, vocab, unk_token, prefix, max_chars)


@pitfall(replaces="tokenize", why="splits on ' ' only: tabs and newlines stay inside words, runs of spaces give empty words")
def split_on_space_only(text: str, vocab: Mapping[str, int], unk_token: str = "[UNK]", prefix: str = "##",
                        max_chars: int = 100) -> list[str]:
    return [tok for word in text.split(" ") if word
            for tok in tokenize_word(word, vocab, unk_token, prefix, max_chars)]


@pitfall(replaces="decode", why="joins every token with a space and strips '##', so words fall apart")
def decode_spaces_everywhere(ids: Sequence[int], vocab: Mapping[str, int], prefix: str = "##") -> str:
    inverse = {i: tok for tok, i in vocab.items()}
    return " ".join(inverse[int(i)].removeprefix(prefix) for i in ids)


@pitfall(replaces="merge_scores", why="BPE's raw pair count, not divided by the counts of the parts")
def raw_pair_counts(word_counts: Mapping[str, int],
                    splits: Mapping[str, Sequence[str]]) -> dict[tuple[str, str], float]:
    pairs: Counter[tuple[str, str]] = Counter()
    for word, count in word_counts.items():
        split = list(splits[word])
        for a, b in zip(split, split[1:], strict=False):
            pairs[(a, b)] += count
    return {k: float(v) for k, v in pairs.items()}


@pitfall(replaces="merge_scores", why="counts every distinct word once, ignoring word_counts")
def unweighted_counts(word_counts: Mapping[str, int],
                      splits: Mapping[str, Sequence[str]]) -> dict[tuple[str, str], float]:
    return _solution_merge_scores({w: 1 for w in word_counts}, splits)


_solution_tokenize_word = tokenize_word
_solution_merge_scores = merge_scores


@pitfall(replaces="tokenize_word", why="hard-codes '##' and '[UNK]' instead of the prefix and unk_token it is given")
def hard_coded_prefix(word: str, vocab: Mapping[str, int], unk_token: str = "[UNK]", prefix: str = "##",
                      max_chars: int = 100) -> list[str]:
    if len(word) > max_chars:
        return ["[UNK]"]
    tokens: list[str] = []
    start = 0
    while start < len(word):
        for end in range(len(word), start, -1):
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in vocab:
                tokens.append(piece)
                start = end
                break
        else:
            return ["[UNK]"]
    return tokens


@pitfall(replaces="tokenize", why="calls tokenize_word without passing unk_token and prefix on: the defaults win")
def drops_options(text: str, vocab: Mapping[str, int], unk_token: str = "[UNK]", prefix: str = "##",
                  max_chars: int = 100) -> list[str]:
    return [tok for word in text.split() for tok in tokenize_word(word, vocab, max_chars=max_chars)]


@pitfall(replaces="decode", why="strips a hard-coded '##' instead of the prefix it is given")
def decode_hard_coded_prefix(ids: Sequence[int], vocab: Mapping[str, int], prefix: str = "##") -> str:
    inverse = {i: tok for tok, i in vocab.items()}
    out = ""
    for n, i in enumerate(ids):
        tok = inverse[int(i)]
        out = tok if n == 0 else out + tok[2:] if tok.startswith("##") else out + " " + tok
    return out
