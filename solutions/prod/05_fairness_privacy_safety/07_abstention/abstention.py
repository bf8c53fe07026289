"""Reference solution for prod-05-7."""
from __future__ import annotations

import math
import re

import numpy as np

STOPWORDS = frozenset("a an the of in on at to is are was were be by for with and or it its this that as from".split())


def content_tokens(text: str) -> set[str]:
    """Given: the lower-cased words and numbers of `text` ([a-z0-9]+ runs), without STOPWORDS."""
    return {t for t in re.findall(r"[a-z0-9]+", text.lower()) if t not in STOPWORDS}


def support_score(answer: str, passages: list[str]) -> float:
    claim = content_tokens(answer)
    if not claim or not passages:
        return 0.0
    return max(len(claim & content_tokens(p)) / len(claim) for p in passages)


def selective_curve(confidence: np.ndarray, correct: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    confidence = np.asarray(confidence, dtype=np.float64)
    correct = np.asarray(correct)
    if confidence.ndim != 1 or confidence.size == 0 or correct.shape != confidence.shape:
        raise ValueError("confidence and correct must be non-empty 1-D arrays of one length")
    thresholds = np.unique(confidence)[::-1]
    kept = confidence[None, :] >= thresholds[:, None]
    counts = kept.sum(axis=1)
    coverage = counts / confidence.size
    accuracy = (kept * correct[None, :].astype(np.float64)).sum(axis=1) / counts
    return thresholds, coverage, accuracy


def choose_threshold(confidence: np.ndarray, correct: np.ndarray, target_accuracy: float) -> float:
    if not 0 <= target_accuracy <= 1:
        raise ValueError(f"target_accuracy must be in [0, 1], got {target_accuracy}")
    thresholds, _, accuracy = selective_curve(confidence, correct)
    ok = np.flatnonzero(accuracy >= target_accuracy)
    return float(thresholds[ok[-1]]) if ok.size else math.inf


def answer_or_abstain(answers: list[str], evidence: list[list[str]], threshold: float) -> list[str | None]:
    if len(answers) != len(evidence):
        raise ValueError("one list of passages per answer")
    return [a if support_score(a, p) >= threshold else None for a, p in zip(answers, evidence, strict=True)]
