"""Tests for dsa-03-3, KMP string matching.

References: str.find called again one past each hit (every occurrence, overlapping included); the
prefix function checked against its definition by brute force.
"""
import pytest
from hypothesis import example, given
from hypothesis import strategies as st


def find_all(text: str, pattern: str) -> list:
    hits, i = [], text.find(pattern)
    while i != -1:
        hits.append(i)
        i = text.find(pattern, i + 1)
    return hits


def brute_pi(p: str) -> list:
    return [max(k for k in range(q + 1) if p[:k] == p[q + 1 - k:q + 1]) for q in range(len(p))]


@given(p=st.text(alphabet="ab", max_size=12))
@example(p="")
@example(p="a")
@example(p="abab")  # [0, 0, 1, 2]
@example(p="aabaaab")  # [0, 1, 0, 1, 2, 2, 3]: needs a fall back through pi
@example(p="aaaa")  # proper prefixes only: [0, 1, 2, 3]
def test_prefix_function_matches_definition(kata, p):
    got, want = kata.prefix_function(p), brute_pi(p)
    assert list(got) == want, f"prefix_function({p!r}) = {got}, expected {want}"


@given(text=st.text(alphabet="ab", max_size=30), pattern=st.text(alphabet="ab", min_size=1, max_size=5))
@example(text="aaaa", pattern="aa")  # [0, 1, 2]: overlapping
@example(text="abababab", pattern="abab")  # [0, 2, 4]
@example(text="aabaabaaab", pattern="aabaaab")  # a mismatch after a long partial match
@example(text="ab", pattern="abc")  # longer than the text
@example(text="", pattern="a")
@example(text="abc", pattern="abc")
@example(text="xabxab", pattern="ab")
@example(text="aabaa", pattern="aaa")  # 'b' needs two fall-backs (aa -> a -> nothing): an `if` instead of `while` finds a false hit
def test_search_matches_str_find(kata, text, pattern):
    got, want = kata.kmp_search(text, pattern), find_all(text, pattern)
    assert list(got) == want, f"kmp_search({text!r}, {pattern!r}) = {got}, expected {want} (every occurrence, overlapping)"


def test_empty_pattern_raises(kata):
    with pytest.raises(ValueError):
        kata.kmp_search("abc", "")
        pytest.fail("kmp_search('abc', '') returned instead of raising ValueError")
