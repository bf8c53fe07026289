"""dsa-03-4: Rabin–Karp matching with a rolling hash. Edit this file; `grader check dsa-03-4` tests it."""
from __future__ import annotations


def window_hashes(text: str, m: int, base: int = 256, mod: int = 1_000_000_007) -> list[int]:
    """h(text[i:i+m]) = sum(ord(text[i+t]) * base**(m-1-t) for t in range(m)) % mod for every
    window i = 0 .. len(text) - m, each computed from the previous one in O(1).

    Shapes:
        returns: a list of max(len(text) - m + 1, 0) ints in [0, mod)

    Raises:
        ValueError: if m < 1.
    """
    raise NotImplementedError("window_hashes: Horner for the first window, then drop-multiply-append")


def rabin_karp(text: str, pattern: str, base: int = 256, mod: int = 1_000_000_007) -> tuple[list[int], int]:
    """(hits, spurious): the sorted start indices of every occurrence of pattern in text (overlapping
    included), and how many windows had the pattern's hash but different characters.

    Raises:
        ValueError: if pattern is empty.
    """
    raise NotImplementedError("rabin_karp: compare hashes, verify every candidate, count the failures")
