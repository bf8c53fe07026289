"""Plausible wrong abstention mechanisms that the tests must reject."""
from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from abstention import content_tokens, selective_curve, support_score


@pitfall(replaces="support_score", why="pools the words of all passages: an answer stitched from unrelated passages looks supported")
def union_of_passages(answer: str, passages: list[str]) -> float:
    claim = content_tokens(answer)
    if not claim or not passages:
        return 0.0
    pooled = set().union(*(content_tokens(p) for p in passages))
    return len(claim & pooled) / len(claim)


@pitfall(replaces="support_score", why="keeps stopwords: 'is the capital of' is 'supported' by any passage")
def with_stopwords(answer: str, passages: list[str]) -> float:
    def toks(text: str) -> set[str]:
        return set(re.findall(r"[a-z0-9]+", text.lower()))

    claim = toks(answer)
    if not claim or not passages:
        return 0.0
    return max(len(claim & toks(p)) / len(claim) for p in passages)


@pitfall(replaces="selective_curve", why="one point per example in sorted order: tied confidences are split between kept and dropped")
def splits_ties(confidence: np.ndarray, correct: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    confidence, correct = np.asarray(confidence, dtype=np.float64), np.asarray(correct, dtype=np.float64)
    if confidence.ndim != 1 or confidence.size == 0 or correct.shape != confidence.shape:
        raise ValueError("bad arrays")
    order = np.argsort(-confidence, kind="stable")
    k = np.arange(1, confidence.size + 1)
    ts, cov, acc = confidence[order], k / confidence.size, np.cumsum(correct[order]) / k
    first = np.r_[True, ts[1:] != ts[:-1]]     # one point per threshold, taken at the first of each tie
    return ts[first], cov[first], acc[first]


@pitfall(replaces="choose_threshold", why="the highest threshold that meets the target (smallest coverage) instead of the lowest")
def most_cautious(confidence: np.ndarray, correct: np.ndarray, target_accuracy: float) -> float:
    if not 0 <= target_accuracy <= 1:
        raise ValueError("target")
    thresholds, _, accuracy = selective_curve(confidence, correct)
    ok = np.flatnonzero(accuracy >= target_accuracy)
    return float(thresholds[ok[0]]) if ok.size else math.inf


@pitfall(replaces="choose_threshold", why="a strict accuracy > target: a curve point exactly at the target is rejected")
def strict_target(confidence: np.ndarray, correct: np.ndarray, target_accuracy: float) -> float:
    if not 0 <= target_accuracy <= 1:
        raise ValueError("target")
    thresholds, _, accuracy = selective_curve(confidence, correct)
    ok = np.flatnonzero(accuracy > target_accuracy)
    return float(thresholds[ok[-1]]) if ok.size else math.inf


@pitfall(replaces="answer_or_abstain", why="strict support > threshold: an answer exactly at the threshold is dropped")
def strict_support(answers: list[str], evidence: list[list[str]], threshold: float) -> list[str | None]:
    if len(answers) != len(evidence):
        raise ValueError("lengths")
    return [a if support_score(a, p) > threshold else None for a, p in zip(answers, evidence, strict=True)]
