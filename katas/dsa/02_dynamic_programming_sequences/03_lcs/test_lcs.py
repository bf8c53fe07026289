"""Tests for dsa-02-3, the longest common subsequence.

References: a brute force over every subsequence of the shorter string (longest one that is also a
subsequence of the other); the returned LCS is checked as a subsequence of both strings.
"""
from itertools import combinations

from hypothesis import example, given
from hypothesis import strategies as st

TEXT = st.text(alphabet="abcd", max_size=8)


def is_subsequence(s: str, t: str) -> bool:
    it = iter(t)
    return all(ch in it for ch in s)


def brute(a: str, b: str) -> int:
    short, long = sorted((a, b), key=len)
    for r in range(len(short), -1, -1):
        if any(is_subsequence("".join(short[i] for i in idx), long) for idx in combinations(range(len(short)), r)):
            return r
    return 0


@given(a=TEXT, b=TEXT)
@example(a="", b="")
@example(a="abc", b="")
@example(a="aa", b="a")  # one character of b cannot pair with two of a
@example(a="abcde", b="ace")  # 3, not contiguous
@example(a="abxcd", b="abycd")  # 4 = "abcd"; the longest common SUBSTRING is only 2
@example(a="abcbdab", b="bdcaba")  # CLRS: 4
def test_length_matches_brute_force(kata, a, b):
    got, want = kata.lcs_length(a, b), brute(a, b)
    assert got == want, f"lcs_length({a!r}, {b!r}) = {got}, expected {want} (brute force)"


@given(a=TEXT, b=TEXT)
@example(a="", b="abc")
@example(a="abcbdab", b="bdcaba")
@example(a="abxcd", b="abycd")
@example(a="aab", b="ab")
def test_lcs_is_a_longest_common_subsequence(kata, a, b):
    s = kata.lcs(a, b)
    assert isinstance(s, str), f"lcs({a!r}, {b!r}) returned {type(s).__name__}, expected str"
    assert is_subsequence(s, a), f"lcs({a!r}, {b!r}) = {s!r} is not a subsequence of {a!r} (reversed backtrace?)"
    assert is_subsequence(s, b), f"lcs({a!r}, {b!r}) = {s!r} is not a subsequence of {b!r} (reversed backtrace?)"
    want = brute(a, b)
    assert len(s) == want, f"lcs({a!r}, {b!r}) = {s!r} has length {len(s)}, expected {want}"


@given(a=TEXT, b=TEXT)
def test_symmetric_and_bounded(kata, a, b):
    n = kata.lcs_length(a, b)
    assert n == kata.lcs_length(b, a), f"lcs_length is not symmetric on {a!r}, {b!r}"
    assert n <= min(len(a), len(b)), f"lcs_length({a!r}, {b!r}) = {n} exceeds the shorter length"
    assert kata.lcs_length(a, a) == len(a), f"lcs_length({a!r}, {a!r}) should be {len(a)}"
