"""Reference solution for dsa-03-5."""
from __future__ import annotations

from collections.abc import Iterable

END = None  # the key that marks the end of a vocabulary entry


class VocabTrie:
    """A trie of vocabulary strings."""

    def __init__(self, vocab: Iterable[str]) -> None:
        self.root: dict = {}
        for word in vocab:
            node = self.root
            for ch in word:
                node = node.setdefault(ch, {})
            node[END] = True

    def longest_match(self, text: str, start: int, prefix: str = "") -> int:
        node = self.root
        for ch in prefix:
            node = node.get(ch)
            if node is None:
                return 0
        best = 0
        for k in range(start, len(text)):
            node = node.get(text[k])
            if node is None:
                break
            if END in node:
                best = k - start + 1
        return best


def wordpiece(word: str, trie: VocabTrie, unk_token: str = "[UNK]", prefix: str = "##",
              max_chars: int = 100) -> list[str]:
    if len(word) > max_chars:
        return [unk_token]
    pieces, start = [], 0
    while start < len(word):
        p = prefix if start else ""
        k = trie.longest_match(word, start, p)
        if k == 0:
            return [unk_token]
        pieces.append(p + word[start:start + k])
        start += k
    return pieces


def tokenize(text: str, trie: VocabTrie, unk_token: str = "[UNK]", prefix: str = "##",
             max_chars: int = 100) -> list[str]:
    return [piece for word in text.split() for piece in wordpiece(word, trie, unk_token, prefix, max_chars)]
