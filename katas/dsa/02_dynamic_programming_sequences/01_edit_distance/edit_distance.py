"""dsa-02-1: Levenshtein edit distance and its alignment. Edit this file; `grader check dsa-02-1` tests it."""
from __future__ import annotations


def edit_distance(a: str, b: str) -> int:
    """The Levenshtein distance: the fewest single-character insertions, deletions and
    substitutions (each costing 1) that turn a into b. Dynamic programming over prefixes."""
    raise NotImplementedError("edit_distance: D[i][j] = min(delete, insert, substitute-or-match)")


def alignment(a: str, b: str) -> list[tuple[str, str | None, str | None]]:
    """One optimal alignment, from the backtrace of the DP table, as a list of operations in order:

    ("match", x, x), ("substitute", x, y), ("delete", x, None), ("insert", None, y). Reading the
    operations left to right consumes a and produces b; the number of non-match operations equals
    edit_distance(a, b).
    """
    raise NotImplementedError("alignment: fill the table, then walk back from the corner")
