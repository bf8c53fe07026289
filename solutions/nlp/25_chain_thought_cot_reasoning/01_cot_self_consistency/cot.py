"""Reference solution for nlp-25-1."""
from __future__ import annotations

import itertools
import math
import re
from collections import Counter
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
    return f"Q: {question}\nA: Let's think step by step."


def few_shot_cot_prompt(question: str, exemplars: Sequence[tuple[str, str, int]]) -> str:
    blocks = [f"Q: {q}\nA: {chain} The answer is {ans}." for q, chain, ans in exemplars]
    return "\n\n".join(blocks + [f"Q: {question}\nA:"])


def extract_answer(completion: str) -> int | None:
    found = ANSWER.findall(completion)
    return int(found[-1]) if found else None


def majority_vote(answers: Sequence[int | None]) -> int | None:
    votes = Counter(a for a in answers if a is not None)
    if not votes:
        return None
    best = max(votes.values())
    return next(a for a in answers if a is not None and votes[a] == best)


def self_consistency(sample: Callable[[np.random.Generator], str], n: int,
                     rng: np.random.Generator) -> tuple[int | None, list[int | None]]:
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    answers = [extract_answer(sample(rng)) for _ in range(n)]
    return majority_vote(answers), answers


def majority_accuracy(p_correct: float, n_wrong: int, n: int) -> float:
    if n < 1 or n_wrong < 1 or not 0.0 <= p_correct <= 1.0:
        raise ValueError("need n >= 1, n_wrong >= 1 and 0 <= p_correct <= 1")
    probs = [p_correct] + [(1 - p_correct) / n_wrong] * n_wrong
    total = 0.0
    for counts in itertools.product(range(n + 1), repeat=n_wrong + 1):
        if sum(counts) != n:
            continue
        mult = math.factorial(n) / math.prod(math.factorial(c) for c in counts)
        pr = mult * math.prod(p ** c for p, c in zip(probs, counts, strict=True))
        top = max(counts)
        if counts[0] == top:
            total += pr / sum(c == top for c in counts)
    return total
