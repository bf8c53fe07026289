"""dsa-03-1: a trie with frequency-ranked autocomplete. Edit this file; `grader check dsa-03-1` tests it."""
from __future__ import annotations


class TrieNode:
    """One node: children maps a character to the next node; count > 0 marks the end of a word."""

    def __init__(self) -> None:
        self.children: dict[str, TrieNode] = {}
        self.count = 0


class Trie:
    """A prefix tree of words with frequencies."""

    def __init__(self) -> None:
        self.root = TrieNode()
        self.size = 0  # the number of distinct words

    def insert(self, word: str, count: int = 1) -> None:
        """Add count to word's frequency (creating its path if needed).

        Raises:
            ValueError: if word is empty or count < 1.
        """
        raise NotImplementedError("insert: walk/create one node per character, add to the last node's count")

    def frequency(self, word: str) -> int:
        """The total count inserted for word; 0 if it was never inserted (also when it is only a prefix)."""
        raise NotImplementedError("frequency: walk down; missing node or count 0 -> 0")

    def __contains__(self, word: str) -> bool:
        """Whether word was inserted; a prefix of an inserted word is not a word."""
        raise NotImplementedError("__contains__: the word's node exists and its count is positive")

    def __len__(self) -> int:
        """The number of distinct words inserted."""
        raise NotImplementedError("__len__: count each word once, however often it is inserted")

    def autocomplete(self, prefix: str, k: int = 5) -> list[str]:
        """Up to k inserted words starting with prefix (prefix itself included if it is a word),
        by frequency descending, ties alphabetically. The empty prefix matches every word.

        Raises:
            ValueError: if k < 0.
        """
        raise NotImplementedError("autocomplete: find the prefix's node, collect its subtree's words, rank them")
