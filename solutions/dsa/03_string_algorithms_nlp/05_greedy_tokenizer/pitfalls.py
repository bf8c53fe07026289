"""Plausible wrong greedy tokenizers that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from greedy_tokenizer import END, VocabTrie, wordpiece


@pitfall(replaces="VocabTrie.longest_match", why="stops at the first entry it meets: the shortest match, not the longest")
def shortest_match(self: VocabTrie, text: str, start: int, prefix: str = "") -> int:
    node = self.root
    for ch in prefix:
        node = node.get(ch)
        if node is None:
            return 0
    for k in range(start, len(text)):
        node = node.get(text[k])
        if node is None:
            return 0
        if END in node:
            return k - start + 1
    return 0


@pitfall(replaces="VocabTrie.longest_match", why="returns how far the walk got, whether or not an entry ends there")
def deepest_node(self: VocabTrie, text: str, start: int, prefix: str = "") -> int:
    node = self.root
    for ch in prefix:
        node = node.get(ch)
        if node is None:
            return 0
    depth = 0
    for k in range(start, len(text)):
        node = node.get(text[k])
        if node is None:
            break
        depth = k - start + 1
    return depth


@pitfall(replaces="wordpiece", why="no continuation prefix: later pieces are looked up as word starts")
def no_continuation_prefix(word: str, trie: VocabTrie, unk_token: str = "[UNK]", prefix: str = "##",
                           max_chars: int = 100) -> list[str]:
    if len(word) > max_chars:
        return [unk_token]
    pieces, start = [], 0
    while start < len(word):
        k = trie.longest_match(word, start)
        if k == 0:
            return [unk_token]
        pieces.append(word[start:start + k])
        start += k
    return pieces


@pitfall(replaces="wordpiece", why="only the uncovered rest becomes [UNK]; the pieces before it are kept")
def partial_unk(word: str, trie: VocabTrie, unk_token: str = "[UNK]", prefix: str = "##",
                max_chars: int = 100) -> list[str]:
    if len(word) > max_chars:
        return [unk_token]
    pieces, start = [], 0
    while start < len(word):
        p = prefix if start else ""
        k = trie.longest_match(word, start, p)
        if k == 0:
            return pieces + [unk_token]
        pieces.append(p + word[start:start + k])
        start += k
    return pieces


@pitfall(replaces="wordpiece", why="rejects words of exactly max_chars characters (>= instead of >)")
def max_chars_inclusive(word: str, trie: VocabTrie, unk_token: str = "[UNK]", prefix: str = "##",
                        max_chars: int = 100) -> list[str]:
    if len(word) >= max_chars:
        return [unk_token]
    return wordpiece(word, trie, unk_token, prefix, 10**9)


@pitfall(replaces="tokenize", why="splits on single spaces: runs of whitespace and newlines give empty or glued words")
def split_on_space(text: str, trie: VocabTrie, unk_token: str = "[UNK]", prefix: str = "##",
                   max_chars: int = 100) -> list[str]:
    return [piece for word in text.split(" ") if word for piece in wordpiece(word, trie, unk_token, prefix, max_chars)]
