"""Tests for dsa-03-1, a trie with autocomplete.

Reference: a collections.Counter of the inserted words, filtered with str.startswith and sorted by
(-count, word): the obvious linear-scan autocomplete that the trie must agree with.
"""
from collections import Counter

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

WORDS = st.text(alphabet="abc", min_size=1, max_size=4)
INSERTS = st.lists(st.tuples(WORDS, st.integers(1, 3)), max_size=25)


def build(kata, inserts: list) -> tuple:
    trie, counts = kata.Trie(), Counter()
    for word, count in inserts:
        if count == 1:
            trie.insert(word)  # the default count
        else:
            trie.insert(word, count)
        counts[word] += count
    return trie, counts


def expected(counts: Counter, prefix: str, k: int) -> list:
    return sorted((w for w in counts if w.startswith(prefix)), key=lambda w: (-counts[w], w))[:k]


@given(inserts=INSERTS, prefix=st.text(alphabet="abc", max_size=3), k=st.integers(0, 6))
@example(inserts=[("car", 1), ("card", 2), ("care", 2), ("cat", 5)], prefix="car", k=5)  # the prefix is a word itself
@example(inserts=[("b", 1), ("a", 1), ("c", 1)], prefix="", k=2)  # ties alphabetically, not by insertion order
@example(inserts=[("ab", 1), ("ab", 1), ("ac", 1)], prefix="a", k=1)  # repeated inserts add up: ab has 2
@example(inserts=[("ab", 1)], prefix="ab", k=0)
@example(inserts=[("ab", 1)], prefix="abc", k=3)  # no node for the prefix
def test_autocomplete_matches_sorted_prefix_filter(kata, inserts, prefix, k):
    trie, counts = build(kata, inserts)
    got, want = trie.autocomplete(prefix, k), expected(counts, prefix, k)
    assert list(got) == want, (f"after inserting {inserts}, autocomplete({prefix!r}, k={k}) = {got}, expected {want} "
                               "(by frequency descending, ties alphabetically)")


@given(inserts=INSERTS)
@example(inserts=[("abc", 1)])
def test_default_k_is_five(kata, inserts):
    trie, counts = build(kata, inserts)
    got, want = trie.autocomplete(""), expected(counts, "", 5)
    assert list(got) == want, f"after inserting {inserts}, autocomplete('') = {got}, expected the top 5 {want}"


@given(inserts=INSERTS, probe=WORDS)
@example(inserts=[("card", 1)], probe="car")  # a prefix is not a word
@example(inserts=[("car", 2), ("car", 3)], probe="car")
def test_membership_frequency_and_size(kata, inserts, probe):
    trie, counts = build(kata, inserts)
    for word in list(counts) + [probe]:
        assert (word in trie) == (word in counts), (
            f"after inserting {inserts}, {word!r} in trie = {word in trie}, expected {word in counts}")
        assert trie.frequency(word) == counts[word], (
            f"after inserting {inserts}, frequency({word!r}) = {trie.frequency(word)}, expected {counts[word]}")
    assert len(trie) == len(counts), f"after inserting {inserts}, len(trie) = {len(trie)}, expected {len(counts)} distinct words"


def test_invalid_arguments_raise(kata):
    trie = kata.Trie()
    trie.insert("ok")
    for args in (("",), ("x", 0), ("x", -2)):
        with pytest.raises(ValueError):
            trie.insert(*args)
            pytest.fail(f"insert{args} returned instead of raising ValueError")
    assert "x" not in trie and len(trie) == 1, "a rejected insert must not add the word"
    with pytest.raises(ValueError):
        trie.autocomplete("o", -1)
        pytest.fail("autocomplete('o', -1) returned instead of raising ValueError")
