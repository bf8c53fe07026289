"""nlp-25-1: zero-shot CoT, few-shot CoT and self-consistency. Edit this file;
`grader check nlp-25-1` tests it."""
from __future__ import annotations

import itertools  # noqa: F401
import math  # noqa: F401
import re
from collections import Counter  # noqa: F401
from collections.abc import Callable, Sequence

import numpy as np

ANSWER = re.compile(r"The answer is (-?\d+)")


def noisy_reasoner(question: str, rng: np.random.Generator, p_slip: float = 0.3) -> str:
    """Given: a scripted stand-in for a sampled LLM chain of thought on "a + b * c" questions. Each of its two
    steps slips (off by one or two) with probability p_slip; the chain ends with "The answer is N."."""
    a, b, c = map(int, re.findall(r"-?\d+", question)[:3])
    prod = b * c + (int(rng.choice([-2, -1, 1, 2])) if rng.random() < p_slip else 0)
    total = a + prod + (int(rng.choice([-2, -1, 1, 2])) if rng.random() < p_slip else 0)
    return f"First, {b} * {c} = {prod}. Then {a} + {prod} = {total}. The answer is {total}."


def zero_shot_cot_prompt(question: str) -> str:
    """Kojima et al.'s zero-shot CoT trigger: f"Q: {question}\nA: Let's think step by step." """
    raise NotImplementedError("zero_shot_cot_prompt")


def few_shot_cot_prompt(question: str, exemplars: Sequence[tuple[str, str, int]]) -> str:
    """Wei et al.'s few-shot CoT: one block f"Q: {q}\nA: {chain} The answer is {answer}." per exemplar, then
    f"Q: {question}\nA:", all blocks joined by a blank line ("\n\n")."""
    raise NotImplementedError("few_shot_cot_prompt")


def extract_answer(completion: str) -> int | None:
    """The integer N of the LAST "The answer is N" in the completion (N may be negative), None if there is none."""
    raise NotImplementedError("extract_answer: a regular expression, the last match")


def majority_vote(answers: Sequence[int | None]) -> int | None:
    """The most frequent answer, None entries ignored; ties go to the tied answer that appears first; None if no
    answer."""
    raise NotImplementedError("majority_vote: count, then break ties by first appearance")


def self_consistency(sample: Callable[[np.random.Generator], str], n: int,
                     rng: np.random.Generator) -> tuple[int | None, list[int | None]]:
    """Wang et al.'s self-consistency: draw n chains with sample(rng) (in order), extract their answers, and
    return (majority_vote(answers), answers).

    Raises:
        ValueError: if n < 1.
    """
    raise NotImplementedError("self_consistency: sample n chains, vote")


def majority_accuracy(p_correct: float, n_wrong: int, n: int) -> float:
    """Exact probability that majority_vote over n independent chains is right, for a model that answers
    correctly with probability p_correct and otherwise picks one of n_wrong wrong answers uniformly. Sum the
    multinomial probability of every count vector; when the correct answer ties with t others for the most
    votes it wins 1 / (t + 1) of the time (by symmetry, each tied answer is equally likely to appear first).

    Raises:
        ValueError: unless n >= 1, n_wrong >= 1 and 0 <= p_correct <= 1.
    """
    raise NotImplementedError("majority_accuracy: enumerate count vectors")
