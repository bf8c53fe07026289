"""nlp-01-1: WordPiece tokenization. Edit this file; `grader check nlp-01-1` tests it."""
from __future__ import annotations

from collections.abc import Mapping, Sequence


def tokenize_word(word: str, vocab: Mapping[str, int], unk_token: str = "[UNK]", prefix: str = "##",
                  max_chars: int = 100) -> list[str]:
    """Split one word (no whitespace inside) into WordPiece tokens, greedy longest match first.

    From the start of the word, take the longest substring that is in `vocab`, then continue from
    where it ended; every piece after the first is looked up with `prefix` in front ("##ing").
    If at some position no substring at all is in the vocabulary, the WHOLE word becomes
    [unk_token]. A word longer than `max_chars` characters (code points, not bytes) becomes
    [unk_token] too. The empty word gives [].

    Shapes:
        returns: a list of vocabulary keys (or [unk_token])
    """
    raise NotImplementedError("tokenize_word: greedy longest-match-first over the word, '##' after the first piece")


def tokenize(text: str, vocab: Mapping[str, int], unk_token: str = "[UNK]", prefix: str = "##",
             max_chars: int = 100) -> list[str]:
    """Split `text` on whitespace (`str.split()`) and tokenize every word; concatenate the tokens."""
    raise NotImplementedError("tokenize: whitespace-split, then tokenize_word on each word")


def encode(text: str, vocab: Mapping[str, int], unk_token: str = "[UNK]", prefix: str = "##",
           max_chars: int = 100) -> list[int]:
    """The ids `vocab[token]` of `tokenize(text, ...)`. `vocab` must contain `unk_token`."""
    raise NotImplementedError("encode: tokenize, then look every token up in vocab")


def decode(ids: Sequence[int], vocab: Mapping[str, int], prefix: str = "##") -> str:
    """Turn ids back into text: tokens joined by single spaces, except that a token starting with
    `prefix` (and not the first token) is glued to the previous one with the prefix removed.

    decode([id("un"), id("##want"), id("##ed"), id("it")]) == "unwanted it".
    """
    raise NotImplementedError("decode: invert vocab, glue '##' pieces onto the previous token")


def merge_scores(word_counts: Mapping[str, int],
                 splits: Mapping[str, Sequence[str]]) -> dict[tuple[str, str], float]:
    """WordPiece's training score of every adjacent pair of pieces in the current splits.

    `splits[word]` is the word's current list of pieces (e.g. ["h", "##u", "##g"]), and
    `word_counts[word]` how often the word occurs. Counting every piece and every adjacent pair
    of pieces over all words, each occurrence weighted by its word's count,

        score(a, b) = count(a, b) / (count(a) * count(b))

    for every pair (a, b) that occurs at least once. (The pair with the highest score is the next
    merge; unlike BPE's raw count, the division favours pairs whose parts are rare on their own.)

    Shapes:
        returns: {(a, b): score} as Python floats
    """
    raise NotImplementedError("merge_scores: weighted piece and pair counts, then count(a,b)/(count(a)count(b))")
