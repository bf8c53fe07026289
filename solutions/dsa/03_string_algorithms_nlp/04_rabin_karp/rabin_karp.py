"""Reference solution for dsa-03-4."""
from __future__ import annotations


def window_hashes(text: str, m: int, base: int = 256, mod: int = 1_000_000_007) -> list[int]:
    if m < 1:
        raise ValueError(f"window length must be >= 1, got {m}")
    n = len(text)
    if m > n:
        return []
    lead = pow(base, m - 1, mod)
    h = 0
    for c in text[:m]:
        h = (h * base + ord(c)) % mod
    out = [h]
    for i in range(n - m):
        h = ((h - ord(text[i]) * lead) * base + ord(text[i + m])) % mod
        out.append(h)
    return out


def rabin_karp(text: str, pattern: str, base: int = 256, mod: int = 1_000_000_007) -> tuple[list[int], int]:
    if not pattern:
        raise ValueError("the pattern must not be empty")
    m = len(pattern)
    target = window_hashes(pattern, m, base, mod)[0]
    hits, spurious = [], 0
    for i, h in enumerate(window_hashes(text, m, base, mod)):
        if h == target:
            if text[i:i + m] == pattern:
                hits.append(i)
            else:
                spurious += 1
    return hits, spurious
