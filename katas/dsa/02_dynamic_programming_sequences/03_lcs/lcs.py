"""dsa-02-3: longest common subsequence. Edit this file; `grader check dsa-02-3` tests it."""
from __future__ import annotations


def lcs_length(a: str, b: str) -> int:
    """The length of a longest common subsequence of a and b (characters in order, not necessarily
    contiguous). Dynamic programming over prefixes."""
    raise NotImplementedError("lcs_length: L[i][j] = L[i-1][j-1] + 1 on a match, else max(up, left)")


def lcs(a: str, b: str) -> str:
    """One longest common subsequence of a and b: a subsequence of both, of length lcs_length(a, b).
    Any of several equally long answers is accepted."""
    raise NotImplementedError("lcs: fill the table, then walk back from the corner")
