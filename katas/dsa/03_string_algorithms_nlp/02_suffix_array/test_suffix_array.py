"""Tests for dsa-03-2, suffix array and LCP array.

References: naive sorting of every suffix with Python's string order; os.path.commonprefix of each
pair of neighbouring suffixes; a brute-force search over every substring for the longest repeat.
"""
import os

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from grader.testing import assert_equal, call_unmodified, describe_call

TEXT = st.one_of(st.text(alphabet="ab", max_size=14), st.text(alphabet="abc", max_size=14))


def naive_sa(s: str) -> list:
    return sorted(range(len(s)), key=lambda i: s[i:])


def naive_lcp(s: str, sa: list) -> list:
    return [0] * min(len(sa), 1) + [len(os.path.commonprefix([s[sa[r - 1]:], s[sa[r]:]])) for r in range(1, len(sa))]


def naive_lrs(s: str) -> str:
    for length in range(len(s) - 1, 0, -1):
        seen, repeats = set(), set()
        for i in range(len(s) - length + 1):
            sub = s[i:i + length]
            (repeats if sub in seen else seen).add(sub)
        if repeats:
            return min(repeats)
    return ""


@given(s=TEXT)
@example(s="")
@example(s="a")
@example(s="banana")  # [5, 3, 1, 0, 4, 2]
@example(s="aaaa")  # an ended suffix sorts first: [3, 2, 1, 0]
@example(s="abab")
@example(s="mississippi")
@example(s="abaab")  # "ab" and "abaab" agree on two characters: needs more than one doubling round
def test_suffix_array_matches_naive_sort(kata, s):
    call = describe_call("suffix_array", s)
    sa = kata.suffix_array(s)
    assert isinstance(sa, np.ndarray) and sa.dtype == np.int64, f"{call} returned {type(sa).__name__} {getattr(sa, 'dtype', '')}, expected an int64 array"
    assert_equal(sa, np.array(naive_sa(s), dtype=np.int64), name="suffix array", call=call)


@given(s=TEXT)
@example(s="")
@example(s="a")
@example(s="banana")  # lcp [0, 1, 3, 0, 0, 2]
@example(s="aaaaa")
@example(s="abcabcab")
def test_lcp_matches_commonprefix(kata, s):
    sa = np.array(naive_sa(s), dtype=np.int64)
    call = describe_call("lcp_array", s, sa)
    lcp = call_unmodified(kata.lcp_array, s, sa)
    assert isinstance(lcp, np.ndarray) and lcp.dtype == np.int64, f"{call} returned {type(lcp).__name__} {getattr(lcp, 'dtype', '')}, expected an int64 array"
    assert_equal(lcp, np.array(naive_lcp(s, list(sa)), dtype=np.int64), name="lcp", call=call)


@given(s=TEXT)
@example(s="")
@example(s="abc")  # nothing repeats
@example(s="banana")  # "ana" (overlapping occurrences)
@example(s="aaaa")  # "aaa"
@example(s="abcab")
@example(s="abba")  # "a" and "b" tie: the smaller
def test_longest_repeated_substring(kata, s):
    got, want = kata.longest_repeated_substring(s), naive_lrs(s)
    assert got == want, f"longest_repeated_substring({s!r}) = {got!r}, expected {want!r}"
