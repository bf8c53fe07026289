"""Tests for dsa-02-4, a text-similarity scorer for duplicate detection.

References: rapidfuzz.distance.Indel.normalized_similarity (the LCS-based ratio behind
rapidfuzz.fuzz.ratio) for the score; normalize against its definition; find_duplicates against a
brute-force pair scan scored by rapidfuzz, with pairs exactly on the threshold.
"""
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rapidfuzz.distance import Indel

TEXT = st.text(alphabet="abcd", max_size=10)
MESSY = st.text(alphabet="aAbB1 ,.-\t\n", max_size=12)


def reference_normalize(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


@given(a=TEXT, b=TEXT)
@example(a="", b="")  # 1.0 by definition
@example(a="abc", b="")
@example(a="abcd", b="abce")  # 0.75
@example(a="ab", b="ba")  # 0.5
@example(a="aab", b="ab")  # 0.8: a character is not matched twice
@example(a="bacbda", b="ca")  # 0.5: difflib's greedy block matching finds only 1 common character
def test_similarity_matches_rapidfuzz(kata, a, b):
    got, want = kata.similarity(a, b), Indel.normalized_similarity(a, b)
    assert abs(got - want) <= 1e-12, (
        f"similarity({a!r}, {b!r}) = {got}, expected {want} (rapidfuzz Indel: 2·LCS / (len a + len b))")


@given(text=MESSY)
@example(text="")
@example(text="  Apple iPhone-15,  128GB\n")
@example(text="...")
def test_normalize(kata, text):
    got, want = kata.normalize(text), reference_normalize(text)
    assert got == want, f"normalize({text!r}) = {got!r}, expected {want!r}"


def brute_duplicates(texts: list, threshold: float) -> list:
    norm = [reference_normalize(t) for t in texts]
    return [(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))
            if Indel.normalized_similarity(norm[i], norm[j]) >= threshold]


@given(texts=st.lists(MESSY, max_size=7), threshold=st.sampled_from([0.0, 0.5, 0.6, 0.75, 0.8, 0.9, 1.0]))
@example(texts=["abcd", "ABCE", "xyz"], threshold=0.75)  # exactly on the threshold: kept
@example(texts=["a b", "A-B", "a  b!"], threshold=1.0)  # equal after normalisation
@example(texts=["ab", "cd"], threshold=0.0)  # threshold 0 keeps every pair
@example(texts=[], threshold=0.9)
def test_find_duplicates_matches_pair_scan(kata, texts, threshold):
    before = list(texts)
    got = kata.find_duplicates(texts, threshold=threshold)
    assert texts == before, "find_duplicates modified the list it was given"
    want = brute_duplicates(texts, threshold)
    assert [tuple(p) for p in got] == want, f"find_duplicates({texts!r}, threshold={threshold}) = {got}, expected {want}"


def test_default_threshold_flags_near_duplicate_titles(kata):
    titles = ["Apple iPhone 15, 128GB", "apple iphone 15 128 gb", "Samsung Galaxy S24", "apple iphone 15 128gb (black)"]
    got = kata.find_duplicates(titles)
    assert [tuple(p) for p in got] == [(0, 1)], f"find_duplicates(titles) at the default threshold 0.9 = {got}, expected [(0, 1)]"


@pytest.mark.parametrize("threshold", [-0.1, 1.5])
def test_bad_threshold_raises(kata, threshold):
    with pytest.raises(ValueError):
        kata.find_duplicates(["a", "b"], threshold=threshold)
        pytest.fail(f"find_duplicates(threshold={threshold}) returned instead of raising ValueError")
