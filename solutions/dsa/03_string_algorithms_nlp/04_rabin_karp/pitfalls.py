"""Plausible wrong rolling hashes and matchers that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from rabin_karp import window_hashes


@pitfall(replaces="window_hashes", why="removes the leading character with weight base**m instead of base**(m-1)")
def wrong_power(text: str, m: int, base: int = 256, mod: int = 1_000_000_007) -> list[int]:
    if m < 1:
        raise ValueError("m")
    if m > len(text):
        return []
    lead, h = pow(base, m, mod), 0
    for c in text[:m]:
        h = (h * base + ord(c)) % mod
    out = [h]
    for i in range(len(text) - m):
        h = ((h - ord(text[i]) * lead) * base + ord(text[i + m])) % mod
        out.append(h)
    return out


@pitfall(replaces="window_hashes", why="stops one window early: the last window is never hashed")
def last_window_missing(text: str, m: int, base: int = 256, mod: int = 1_000_000_007) -> list[int]:
    if m < 1:
        raise ValueError("m")
    if m > len(text):
        return []
    lead, h = pow(base, m - 1, mod), 0
    for c in text[:m]:
        h = (h * base + ord(c)) % mod
    out = [h]
    for i in range(len(text) - m - 1):
        h = ((h - ord(text[i]) * lead) * base + ord(text[i + m])) % mod
        out.append(h)
    return out


@pitfall(replaces="rabin_karp", why="trusts equal hashes: no character check, so collisions become hits")
def unverified(text: str, pattern: str, base: int = 256, mod: int = 1_000_000_007) -> tuple[list[int], int]:
    if not pattern:
        raise ValueError("empty")
    target = window_hashes(pattern, len(pattern), base, mod)[0]
    return [i for i, h in enumerate(window_hashes(text, len(pattern), base, mod)) if h == target], 0


@pitfall(replaces="rabin_karp", why="counts every hash match as spurious, the true hits too")
def spurious_includes_hits(text: str, pattern: str, base: int = 256, mod: int = 1_000_000_007) -> tuple[list[int], int]:
    if not pattern:
        raise ValueError("empty")
    m = len(pattern)
    target = window_hashes(pattern, m, base, mod)[0]
    cands = [i for i, h in enumerate(window_hashes(text, m, base, mod)) if h == target]
    return [i for i in cands if text[i:i + m] == pattern], len(cands)


@pitfall(replaces="rabin_karp", why="hashes the pattern with the default base and modulus, whatever the caller passed")
def pattern_default_hash(text: str, pattern: str, base: int = 256, mod: int = 1_000_000_007) -> tuple[list[int], int]:
    if not pattern:
        raise ValueError("empty")
    m = len(pattern)
    target = window_hashes(pattern, m)[0]
    hits, spurious = [], 0
    for i, h in enumerate(window_hashes(text, m, base, mod)):
        if h == target:
            if text[i:i + m] == pattern:
                hits.append(i)
            else:
                spurious += 1
    return hits, spurious
