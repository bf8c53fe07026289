"""Plausible wrong tries that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from trie import Trie, TrieNode


@pitfall(replaces="Trie.__contains__", why="answers True for any prefix of a word: the node exists, but no word ends there")
def contains_prefix(self: Trie, word: str) -> bool:
    return self._find(word) is not None


@pitfall(replaces="Trie.insert", why="a second insert overwrites the count instead of adding to it")
def overwrite_count(self: Trie, word: str, count: int = 1) -> None:
    if not word or count < 1:
        raise ValueError("bad insert")
    node = self.root
    for ch in word:
        node = node.children.setdefault(ch, TrieNode())
    if node.count == 0:
        self.size += 1
    node.count = count


@pitfall(replaces="Trie.insert", why="counts every insert in len(), not every distinct word")
def size_per_insert(self: Trie, word: str, count: int = 1) -> None:
    if not word or count < 1:
        raise ValueError("bad insert")
    node = self.root
    for ch in word:
        node = node.children.setdefault(ch, TrieNode())
    self.size += 1
    node.count += count


@pitfall(replaces="Trie.autocomplete", why="collects only the prefix's descendants: the prefix itself is never offered")
def skips_prefix_word(self: Trie, prefix: str, k: int = 5) -> list[str]:
    if k < 0:
        raise ValueError("k")
    start = self._find(prefix)
    if start is None:
        return []
    found, stack = [], [(child, prefix + ch) for ch, child in start.children.items()]
    while stack:
        node, word = stack.pop()
        if node.count > 0:
            found.append((word, node.count))
        stack.extend((child, word + ch) for ch, child in node.children.items())
    found.sort(key=lambda wc: (-wc[1], wc[0]))
    return [w for w, _ in found[:k]]


@pitfall(replaces="Trie.autocomplete", why="stable sort by frequency only: ties come out in traversal order, not alphabetically")
def ties_by_traversal(self: Trie, prefix: str, k: int = 5) -> list[str]:
    if k < 0:
        raise ValueError("k")
    start = self._find(prefix)
    if start is None:
        return []
    found, stack = [], [(start, prefix)]
    while stack:
        node, word = stack.pop()
        if node.count > 0:
            found.append((word, node.count))
        stack.extend((child, word + ch) for ch, child in node.children.items())
    found.sort(key=lambda wc: -wc[1])
    return [w for w, _ in found[:k]]


@pitfall(replaces="Trie.autocomplete", why="ranks alphabetically and ignores the frequencies")
def alphabetical_only(self: Trie, prefix: str, k: int = 5) -> list[str]:
    if k < 0:
        raise ValueError("k")
    start = self._find(prefix)
    if start is None:
        return []
    found, stack = [], [(start, prefix)]
    while stack:
        node, word = stack.pop()
        if node.count > 0:
            found.append(word)
        stack.extend((child, word + ch) for ch, child in node.children.items())
    return sorted(found)[:k]
