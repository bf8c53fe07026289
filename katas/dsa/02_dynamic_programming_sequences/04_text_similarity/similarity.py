"""dsa-02-4: an LCS-based text-similarity scorer for duplicate detection. Edit this file;
`grader check dsa-02-4` tests it."""
from __future__ import annotations


def normalize(text: str) -> str:
    """Lowercase, replace every character that is not alphanumeric (str.isalnum) with a space,
    collapse runs of whitespace to one space and strip both ends."""
    raise NotImplementedError("normalize: lower, non-alphanumerics to spaces, collapse whitespace")


def similarity(a: str, b: str) -> float:
    """Indel similarity 2 * LCS(a, b) / (len(a) + len(b)), 1.0 when both are empty; on the strings
    as given. Equals rapidfuzz.distance.Indel.normalized_similarity(a, b)."""
    raise NotImplementedError("similarity: the LCS length, then 2 * lcs / (len(a) + len(b))")


def find_duplicates(texts: list[str], threshold: float = 0.9) -> list[tuple[int, int]]:
    """All pairs (i, j), i < j, with similarity(normalize(texts[i]), normalize(texts[j])) >= threshold,
    sorted.

    Raises:
        ValueError: if threshold is not in [0, 1].
    """
    raise NotImplementedError("find_duplicates: normalise once, then score every pair i < j")
