"""Tests for dsa-03-4, Rabin–Karp rolling-hash matching.

References: every window's polynomial hash evaluated directly with pow (no rolling); str.find
called again one past each hit; the spurious-hit count computed from the direct hashes. Tiny moduli
(2, 3) force hash collisions, so an unverified match shows.
"""
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

TEXT = st.text(alphabet="abc", max_size=25)
PATTERN = st.text(alphabet="abc", min_size=1, max_size=4)
BASES = st.sampled_from([2, 10, 31, 256])
MODS = st.sampled_from([2, 3, 7, 101, 1_000_000_007])


def direct_hash(w: str, base: int, mod: int) -> int:
    m = len(w)
    return sum(ord(c) * pow(base, m - 1 - t, mod) for t, c in enumerate(w)) % mod


def find_all(text: str, pattern: str) -> list:
    hits, i = [], text.find(pattern)
    while i != -1:
        hits.append(i)
        i = text.find(pattern, i + 1)
    return hits


@given(text=TEXT, m=st.integers(1, 6), base=BASES, mod=MODS)
@example(text="abc", m=3, base=256, mod=1_000_000_007)  # one window
@example(text="ab", m=3, base=256, mod=1_000_000_007)  # no window
@example(text="cabcab", m=2, base=10, mod=7)
def test_window_hashes_match_direct_formula(kata, text, m, base, mod):
    got = kata.window_hashes(text, m, base=base, mod=mod)
    want = [direct_hash(text[i:i + m], base, mod) for i in range(len(text) - m + 1)]
    assert list(got) == want, f"window_hashes({text!r}, {m}, base={base}, mod={mod}) = {got}, expected {want}"


@given(text=TEXT, m=st.integers(1, 6))
def test_default_base_and_modulus(kata, text, m):
    got = kata.window_hashes(text, m)
    want = [direct_hash(text[i:i + m], 256, 1_000_000_007) for i in range(len(text) - m + 1)]
    assert list(got) == want, f"window_hashes({text!r}, {m}) with the defaults (256, 1e9+7) = {got}, expected {want}"


@given(text=TEXT, pattern=PATTERN, base=BASES, mod=MODS)
@example(text="aaaa", pattern="aa", base=256, mod=1_000_000_007)  # overlapping
@example(text="abcabc", pattern="ab", base=256, mod=3)  # collisions everywhere
@example(text="bca", pattern="abc", base=10, mod=2)
@example(text="abc", pattern="abcd", base=256, mod=3)  # longer than the text
def test_hits_and_spurious_count(kata, text, pattern, base, mod):
    call = f"rabin_karp({text!r}, {pattern!r}, base={base}, mod={mod})"
    hits, spurious = kata.rabin_karp(text, pattern, base=base, mod=mod)
    want = find_all(text, pattern)
    assert list(hits) == want, f"{call} hits = {hits}, expected {want} (are candidates verified?)"
    target, m = direct_hash(pattern, base, mod), len(pattern)
    want_spurious = sum(direct_hash(text[i:i + m], base, mod) == target and text[i:i + m] != pattern
                        for i in range(len(text) - m + 1))
    assert spurious == want_spurious, f"{call} spurious = {spurious}, expected {want_spurious} windows with the pattern's hash but other characters"


@given(text=TEXT, pattern=PATTERN)
def test_default_arguments(kata, text, pattern):
    hits, spurious = kata.rabin_karp(text, pattern)
    assert list(hits) == find_all(text, pattern), f"rabin_karp({text!r}, {pattern!r}) hits = {hits}"
    assert spurious == 0, f"rabin_karp({text!r}, {pattern!r}) with mod 1e9+7 reported {spurious} spurious hits; none exist here"


def test_invalid_arguments_raise(kata):
    with pytest.raises(ValueError):
        kata.rabin_karp("abc", "")
        pytest.fail("rabin_karp('abc', '') returned instead of raising ValueError")
    with pytest.raises(ValueError):
        kata.window_hashes("abc", 0)
        pytest.fail("window_hashes('abc', 0) returned instead of raising ValueError")
