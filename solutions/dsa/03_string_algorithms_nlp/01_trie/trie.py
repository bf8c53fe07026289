"""Reference solution for dsa-03-1."""
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

    def _find(self, prefix: str) -> TrieNode | None:
        node = self.root
        for ch in prefix:
            node = node.children.get(ch)
            if node is None:
                return None
        return node

    def insert(self, word: str, count: int = 1) -> None:
        if not word or count < 1:
            raise ValueError("insert needs a non-empty word and count >= 1")
        node = self.root
        for ch in word:
            node = node.children.setdefault(ch, TrieNode())
        if node.count == 0:
            self.size += 1
        node.count += count

    def frequency(self, word: str) -> int:
        node = self._find(word)
        return 0 if node is None else node.count

    def __contains__(self, word: str) -> bool:
        return self.frequency(word) > 0

    def __len__(self) -> int:
        return self.size

    def autocomplete(self, prefix: str, k: int = 5) -> list[str]:
        if k < 0:
            raise ValueError(f"k must be >= 0, got {k}")
        start = self._find(prefix)
        if start is None:
            return []
        found, stack = [], [(start, prefix)]
        while stack:
            node, word = stack.pop()
            if node.count > 0:
                found.append((word, node.count))
            for ch, child in node.children.items():
                stack.append((child, word + ch))
        found.sort(key=lambda wc: (-wc[1], wc[0]))
        return [w for w, _ in found[:k]]
