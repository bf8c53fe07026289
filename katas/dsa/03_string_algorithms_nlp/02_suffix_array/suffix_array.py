"""dsa-03-2: suffix array by prefix doubling, LCP by Kasai. Edit this file; `grader check dsa-03-2` tests it."""
from __future__ import annotations

import numpy as np


def suffix_array(s: str) -> np.ndarray:
    """Start positions of the suffixes of s in lexicographic order (Python's str order: a proper
    prefix sorts first), by prefix doubling.

    Shapes:
        returns: (n,) int64, a permutation of 0 .. n-1, n = len(s)
    """
    raise NotImplementedError("suffix_array: sort by (rank[i], rank[i+k] or -1), re-rank, double k")


def lcp_array(s: str, sa: np.ndarray) -> np.ndarray:
    """lcp[0] = 0 and lcp[r] = the length of the longest common prefix of s[sa[r-1]:] and s[sa[r]:],
    by Kasai's algorithm. sa (the suffix array of s) is left unchanged.

    Shapes:
        sa: (n,) int; returns: (n,) int64
    """
    raise NotImplementedError("lcp_array: visit suffixes in text order, carry h - 1 to the next")


def longest_repeated_substring(s: str) -> str:
    """The longest substring of s that occurs at least twice (occurrences may overlap); among
    several of that length the lexicographically smallest; "" if no character repeats."""
    raise NotImplementedError("longest_repeated_substring: the largest lcp entry and its suffix")
