"""prod-05-7: abstain when evidence support is low. Edit this file; `grader check prod-05-7` tests it."""
from __future__ import annotations

import re

import numpy as np

STOPWORDS = frozenset("a an the of in on at to is are was were be by for with and or it its this that as from".split())


def content_tokens(text: str) -> set[str]:
    """Given: the lower-cased words and numbers of `text` ([a-z0-9]+ runs), without STOPWORDS."""
    return {t for t in re.findall(r"[a-z0-9]+", text.lower()) if t not in STOPWORDS}


def support_score(answer: str, passages: list[str]) -> float:
    """How well one passage backs the answer: max over passages of |C(answer) & C(passage)| / |C(answer)|,
    with C = content_tokens. 0.0 when the answer has no content token or there is no passage.

    Returns:
        a float in [0, 1]
    """
    raise NotImplementedError("support_score: best single-passage coverage of the answer's content words")


def selective_curve(confidence: np.ndarray, correct: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coverage and selective accuracy when answering only where confidence >= t, for every distinct
    confidence value t, from the highest to the lowest (tied confidences are kept or dropped together).

    Shapes:
        confidence: (n,); correct: (n,) bool or 0/1
        returns: thresholds (T,) decreasing, coverage (T,) = kept / n, accuracy (T,) = mean correct of the kept

    Raises:
        ValueError: if the arrays are empty, not 1-D or of different lengths.
    """
    raise NotImplementedError("selective_curve: one point per distinct confidence")


def choose_threshold(confidence: np.ndarray, correct: np.ndarray, target_accuracy: float) -> float:
    """The lowest threshold of selective_curve (the largest coverage) whose selective accuracy is
    >= target_accuracy; math.inf (always abstain) if no threshold reaches it.

    Raises:
        ValueError: if target_accuracy is not in [0, 1], and as selective_curve.
    """
    raise NotImplementedError("choose_threshold: the largest coverage that meets the target")


def answer_or_abstain(answers: list[str], evidence: list[list[str]], threshold: float) -> list[str | None]:
    """Each answer if support_score(answer, its passages) >= threshold, else None (abstain).

    Raises:
        ValueError: if answers and evidence differ in length.
    """
    raise NotImplementedError("answer_or_abstain: keep the supported answers")
