"""dsa-03-5: greedy longest-match (WordPiece) tokenization over a trie. Edit this file;
`grader check dsa-03-5` tests it."""
from __future__ import annotations

from collections.abc import Iterable


class VocabTrie:
    """A trie of vocabulary strings."""

    def __init__(self, vocab: Iterable[str]) -> None:
        """Insert every string of vocab into the trie."""
        raise NotImplementedError("VocabTrie: one nested dict per character, plus an end-of-entry mark")

    def longest_match(self, text: str, start: int, prefix: str = "") -> int:
        """The largest k >= 1 such that prefix + text[start:start + k] is a vocabulary entry; 0 if none.
        One walk down the trie: first through prefix, then through text from start."""
        raise NotImplementedError("longest_match: walk as far as the trie allows, remember the last entry end")


def wordpiece(word: str, trie: VocabTrie, unk_token: str = "[UNK]", prefix: str = "##",
              max_chars: int = 100) -> list[str]:
    """Greedy longest-match-first pieces of one word: the first piece without, later pieces with the
    continuation prefix. [unk_token] if some position has no match or len(word) > max_chars."""
    raise NotImplementedError("wordpiece: longest match, advance, repeat; any miss makes the word unknown")


def tokenize(text: str, trie: VocabTrie, unk_token: str = "[UNK]", prefix: str = "##",
             max_chars: int = 100) -> list[str]:
    """wordpiece of every word of text.split(), concatenated in order."""
    raise NotImplementedError("tokenize: split on whitespace, wordpiece each word")
