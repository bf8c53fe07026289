"""dsa-03-3: Knuth–Morris–Pratt string matching. Edit this file; `grader check dsa-03-3` tests it."""
from __future__ import annotations


def prefix_function(pattern: str) -> list[int]:
    """pi[q] = the length of the longest proper prefix of pattern[:q+1] that is also a suffix of it.

    Shapes:
        returns: a list of len(pattern) ints ([] for "")
    """
    raise NotImplementedError("prefix_function: match the pattern against itself, falling back through pi")


def kmp_search(text: str, pattern: str) -> list[int]:
    """The sorted start indices of every occurrence of pattern in text, overlapping ones included,
    in O(len(text) + len(pattern)).

    Raises:
        ValueError: if pattern is empty.
    """
    raise NotImplementedError("kmp_search: never step back in the text; on a full match continue from pi[m-1]")
