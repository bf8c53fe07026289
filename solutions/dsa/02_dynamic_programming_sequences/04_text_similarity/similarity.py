"""Reference solution for dsa-02-4."""
from __future__ import annotations


def normalize(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    prev = [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        cur = [0] * (len(b) + 1)
        for j in range(1, len(b) + 1):
            cur[j] = prev[j - 1] + 1 if a[i - 1] == b[j - 1] else max(prev[j], cur[j - 1])
        prev = cur
    return 2 * prev[-1] / (len(a) + len(b))


def find_duplicates(texts: list[str], threshold: float = 0.9) -> list[tuple[int, int]]:
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be in [0, 1], got {threshold}")
    norm = [normalize(t) for t in texts]
    return [(i, j) for i in range(len(norm)) for j in range(i + 1, len(norm))
            if similarity(norm[i], norm[j]) >= threshold]
