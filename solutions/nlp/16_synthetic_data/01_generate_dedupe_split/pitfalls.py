"""Plausible wrong generators, dedupers and splitters that the tests must reject."""
from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from synthetic_data import (
        INTENSIFIERS,
        MERSENNE_PRIME,
        NEGATIVE,
        POSITIVE,
        SUBJECTS,
        TEMPLATES,
        exact_dedupe,
        hash_params,
        jaccard,
        lsh_candidate_pairs,
        minhash_signature,
        near_dedupe,
        normalize,
        shingle_hash,
        shingles,
        stratified_split,
    )


@pitfall(replaces="generate_toy_data", why="draws the sentiment word from either lexicon, independently of the label")
def word_independent_of_label(n: int, seed: int) -> tuple[list[str], list[int]]:
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for _ in range(n):
        label = int(rng.integers(2))
        words = POSITIVE + NEGATIVE
        texts.append(TEMPLATES[int(rng.integers(len(TEMPLATES)))].format(
            subject=SUBJECTS[int(rng.integers(len(SUBJECTS)))],
            intensifier=INTENSIFIERS[int(rng.integers(len(INTENSIFIERS)))], word=words[int(rng.integers(len(words)))]))
        labels.append(label)
    return texts, labels


@pitfall(replaces="generate_toy_data", why="uses the unseeded global `random` module: a different dataset every run")
def unseeded(n: int, seed: int) -> tuple[list[str], list[int]]:
    texts, labels = [], []
    for _ in range(n):
        label = random.randint(0, 1)
        word = random.choice(POSITIVE if label else NEGATIVE)
        texts.append(random.choice(TEMPLATES).format(subject=random.choice(SUBJECTS),
                                                     intensifier=random.choice(INTENSIFIERS), word=word))
        labels.append(label)
    return texts, labels


@pitfall(replaces="add_noise", why="always swaps the first two characters of a chosen word")
def always_first_position(texts: Sequence[str], rate: float, seed: int) -> list[str]:
    if not 0.0 <= rate <= 1.0:
        raise ValueError("rate")
    rng = np.random.default_rng(seed)
    out = []
    for text in texts:
        words = [w[1] + w[0] + w[2:] if len(w) >= 2 and rng.random() < rate else w for w in text.split(" ")]
        out.append(" ".join(words))
    return out


@pitfall(replaces="add_noise", why="applies the rate per character, not per word: long words get several typos")
def per_character(texts: Sequence[str], rate: float, seed: int) -> list[str]:
    if not 0.0 <= rate <= 1.0:
        raise ValueError("rate")
    rng = np.random.default_rng(seed)
    out = []
    for text in texts:
        words = text.split(" ")
        for w, word in enumerate(words):
            chars = list(word)
            for i in range(len(chars) - 1):
                if rng.random() < rate:
                    chars[i], chars[i + 1] = chars[i + 1], chars[i]
            words[w] = "".join(chars)
        out.append(" ".join(words))
    return out


@pitfall(replaces="normalize", why="lower() instead of casefold(): 'Straße' and 'STRASSE' stay different")
def lower_not_casefold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(c if c.isalnum() or c.isspace() else " " for c in text)
    return re.sub(r"\s+", " ", text).strip()


@pitfall(replaces="normalize", why="strips punctuation but never collapses the whitespace it leaves behind")
def no_whitespace_collapse(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c if c.isalnum() or c.isspace() else " " for c in text).strip()


@pitfall(replaces="exact_dedupe", why="compares the raw strings: case, spacing and punctuation variants survive")
def raw_strings(texts: Sequence[str]) -> list[int]:
    seen: set[str] = set()
    keep = []
    for i, text in enumerate(texts):
        if text not in seen:
            seen.add(text)
            keep.append(i)
    return keep


@pitfall(replaces="shingles", why="off by one: range(len(t) - k) drops the last k-gram")
def drops_last_shingle(text: str, k: int = 5) -> set[str]:
    t = normalize(text)
    if len(t) < k:
        return {t} if t else set()
    return {t[i:i + k] for i in range(len(t) - k)}


@pitfall(replaces="minhash_signature", why="one hash function for every slot: min of h(s) + b_i, so all slots agree or not together")
def one_hash_function(shingle_set: set[str], num_perm: int = 128, seed: int = 0) -> np.ndarray:
    a, b = hash_params(num_perm, seed)
    if not shingle_set:
        return np.full(num_perm, MERSENNE_PRIME, dtype=np.uint64)
    h = min(shingle_hash(s) for s in shingle_set)
    return ((a[0] * np.uint64(h) + b) % np.uint64(MERSENNE_PRIME)).astype(np.uint64)


@pitfall(replaces="lsh_candidate_pairs", why="bands of one entry each whatever `bands` says (r fixed at 1)")
def rows_fixed_at_one(signatures: np.ndarray, bands: int) -> set[tuple[int, int]]:
    n, num_perm = signatures.shape
    if bands < 1 or num_perm % bands:
        raise ValueError("bands")
    return {(i, j) for i in range(n) for j in range(i + 1, n) if np.any(signatures[i] == signatures[j])}


@pitfall(replaces="near_dedupe", why="trusts the LSH candidates without checking their exact Jaccard")
def no_verification(texts: Sequence[str], threshold: float = 0.5, k: int = 5, num_perm: int = 128, bands: int = 32,
                    seed: int = 0) -> list[int]:
    sets = [shingles(t, k) for t in texts]
    if not sets:
        return []
    sigs = np.stack([minhash_signature(s, num_perm, seed) for s in sets])
    dropped = {j for _, j in lsh_candidate_pairs(sigs, bands)}
    return [i for i in range(len(texts)) if i not in dropped]


@pitfall(replaces="near_dedupe", why="greedy: keeps a text unless it is similar to an already kept one, so in a "
                                      "chain A~B~C (A and C not similar) C survives; the spec asks for connected components")
def pairwise_not_clusters(texts: Sequence[str], threshold: float = 0.5, k: int = 5, num_perm: int = 128,
                          bands: int = 32, seed: int = 0) -> list[int]:
    sets = [shingles(t, k) for t in texts]
    keep: list[int] = []
    for i in range(len(texts)):
        if not any(jaccard(sets[i], sets[j]) >= threshold for j in keep):
            keep.append(i)
    return keep


@pitfall(replaces="stratified_split", why="one random permutation cut by the fractions: not stratified by class")
def not_stratified(labels: Sequence[int], fractions: Sequence[float] = (0.8, 0.1, 0.1), seed: int = 0) -> list[list[int]]:
    fr = np.asarray(fractions, dtype=np.float64)
    if np.any(fr < 0) or abs(fr.sum() - 1.0) > 1e-9:
        raise ValueError("fractions")
    idx = np.random.default_rng(seed).permutation(len(labels))
    cuts = np.round(np.cumsum(fr) * len(labels)).astype(int)
    return [sorted(int(i) for i in part) for part in np.split(idx, cuts[:-1])]


@pitfall(replaces="stratified_split", why="floors every count and gives all the leftovers to the first split")
def leftovers_to_train(labels: Sequence[int], fractions: Sequence[float] = (0.8, 0.1, 0.1),
                       seed: int = 0) -> list[list[int]]:
    fr = np.asarray(fractions, dtype=np.float64)
    if np.any(fr < 0) or abs(fr.sum() - 1.0) > 1e-9:
        raise ValueError("fractions")
    rng = np.random.default_rng(seed)
    labels = np.asarray(labels)
    parts: list[list[int]] = [[] for _ in fr]
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        rng.shuffle(idx)
        counts = np.floor(len(idx) * fr).astype(int)
        counts[0] += len(idx) - counts.sum()
        start = 0
        for s, cnt in enumerate(counts):
            parts[s].extend(int(i) for i in idx[start:start + cnt])
            start += cnt
    return [sorted(p) for p in parts]


@pitfall(replaces="make_eval_splits", why="splits first and dedupes inside each split: duplicates leak across splits")
def split_then_dedupe(texts: Sequence[str], labels: Sequence[int], fractions: Sequence[float] = (0.8, 0.1, 0.1),
                      seed: int = 0, threshold: float = 0.5, num_perm: int = 128, bands: int = 32) -> list[list[int]]:
    parts = stratified_split(labels, fractions, seed)
    out = []
    for part in parts:
        kept = near_dedupe([texts[i] for i in part], threshold=threshold, num_perm=num_perm, bands=bands, seed=seed)
        out.append([part[j] for j in kept])
    return out


@pitfall(replaces="make_eval_splits", why="only exact duplicates removed: typo'd copies land in different splits")
def exact_only(texts: Sequence[str], labels: Sequence[int], fractions: Sequence[float] = (0.8, 0.1, 0.1),
               seed: int = 0, threshold: float = 0.5, num_perm: int = 128, bands: int = 32) -> list[list[int]]:
    kept = exact_dedupe(texts)
    parts = stratified_split([labels[i] for i in kept], fractions, seed)
    return [[kept[j] for j in part] for part in parts]


@pitfall(replaces="add_noise", why="a fixed default_rng(0): the seed is ignored, every call makes the same typos")
def fixed_seed_noise(texts: Sequence[str], rate: float, seed: int) -> list[str]:
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be in [0, 1], got {rate}")
    rng = np.random.default_rng(0)
    out = []
    for text in texts:
        words = text.split(" ")
        for w, word in enumerate(words):
            if len(word) >= 2 and rng.random() < rate:
                i = int(rng.integers(len(word) - 1))
                words[w] = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        out.append(" ".join(words))
    return out


@pitfall(replaces="stratified_split", why="shuffles with the global np.random.shuffle: the seed does not reproduce the split")
def global_shuffle_split(labels: Sequence[int], fractions: Sequence[float] = (0.8, 0.1, 0.1),
                         seed: int = 0) -> list[list[int]]:
    fr = np.asarray(fractions, dtype=np.float64)
    if np.any(fr < 0) or abs(fr.sum() - 1.0) > 1e-9:
        raise ValueError("bad fractions")
    labels = np.asarray(labels)
    parts: list[list[int]] = [[] for _ in fr]
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        np.random.shuffle(idx)
        exact = len(idx) * fr
        counts = np.floor(exact).astype(int)
        counts[np.argsort(-(exact - counts), kind="stable")[:len(idx) - counts.sum()]] += 1
        start = 0
        for s, cnt in enumerate(counts):
            parts[s].extend(int(i) for i in idx[start:start + cnt])
            start += cnt
    return [sorted(p) for p in parts]
