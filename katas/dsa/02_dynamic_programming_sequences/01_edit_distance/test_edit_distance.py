"""Tests for dsa-02-1, edit distance with its alignment.

References: a brute-force memoised recursion over the three edit choices on short strings; the
metric properties of the distance; and every alignment replayed: it must consume a, produce b, and
cost exactly the distance.
"""
from functools import cache

from hypothesis import example, given
from hypothesis import strategies as st

TEXT = st.text(alphabet="abc", max_size=7)


def brute(a: str, b: str) -> int:
    @cache
    def d(i: int, j: int) -> int:
        if i == len(a) or j == len(b):
            return (len(a) - i) + (len(b) - j)
        return min(d(i + 1, j) + 1, d(i, j + 1) + 1, d(i + 1, j + 1) + (a[i] != b[j]))
    return d(0, 0)


@given(a=TEXT, b=TEXT)
@example(a="", b="")
@example(a="kitten", b="sitting")  # 3
@example(a="abc", b="")
@example(a="ab", b="ba")  # 2: no transpositions in Levenshtein
def test_distance_matches_brute_force(kata, a, b):
    got = kata.edit_distance(a, b)
    want = brute(a, b)
    assert got == want, f"edit_distance({a!r}, {b!r}) = {got}, expected {want}"


@given(a=TEXT, b=TEXT, c=TEXT)
def test_metric_properties(kata, a, b, c):
    d = kata.edit_distance
    assert d(a, b) == d(b, a), f"edit_distance is not symmetric on {a!r}, {b!r}"
    assert (d(a, b) == 0) == (a == b), f"edit_distance({a!r}, {b!r}) = {d(a, b)}"
    assert d(a, c) <= d(a, b) + d(b, c), f"triangle inequality fails for {a!r}, {b!r}, {c!r}"
    assert abs(len(a) - len(b)) <= d(a, b) <= max(len(a), len(b)), f"edit_distance({a!r}, {b!r}) out of its bounds"


@given(a=TEXT, b=TEXT)
@example(a="kitten", b="sitting")
@example(a="", b="abc")
@example(a="abc", b="")
def test_alignment_replays_to_b_at_optimal_cost(kata, a, b):
    ops = kata.alignment(a, b)
    consumed, produced, cost = [], [], 0
    for op, x, y in ops:
        assert op in ("match", "substitute", "delete", "insert"), f"alignment({a!r}, {b!r}): unknown operation {op!r}"
        if op in ("match", "substitute", "delete"):
            consumed.append(x)
        if op in ("match", "substitute", "insert"):
            produced.append(y)
        if op == "match":
            assert x == y, f"alignment({a!r}, {b!r}): 'match' of different characters {x!r}, {y!r}"
        elif op == "substitute":
            assert x != y, f"alignment({a!r}, {b!r}): 'substitute' of equal characters {x!r} (that is a match)"
        cost += op != "match"
    assert "".join(consumed) == a, f"alignment({a!r}, {b!r}) = {ops} consumes {''.join(consumed)!r}, not a"
    assert "".join(produced) == b, f"alignment({a!r}, {b!r}) = {ops} produces {''.join(produced)!r}, not b"
    assert cost == brute(a, b), f"alignment({a!r}, {b!r}) costs {cost}, but the distance is {brute(a, b)}"
