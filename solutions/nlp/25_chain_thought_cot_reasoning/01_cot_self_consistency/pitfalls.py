"""Plausible wrong CoT machinery that the tests must reject."""
from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence

from grader.pitfalls import pitfall


@pitfall(replaces="extract_answer", why="takes the first 'The answer is' instead of the last")
def first_answer(completion: str) -> int | None:
    found = re.findall(r"The answer is (-?\d+)", completion)
    return int(found[0]) if found else None


@pitfall(replaces="extract_answer", why="drops the minus sign of negative answers")
def unsigned(completion: str) -> int | None:
    found = re.findall(r"The answer is -?(\d+)", completion)
    return int(found[-1]) if found else None


@pitfall(replaces="majority_vote", why="counts None (unparsable chains) as an answer that can win the vote")
def counts_none(answers: Sequence[int | None]) -> int | None:
    votes = Counter(answers)
    return votes.most_common(1)[0][0] if votes else None


@pitfall(replaces="majority_vote", why="ties go to the smallest answer")
def ties_to_smallest(answers: Sequence[int | None]) -> int | None:
    votes = Counter(a for a in answers if a is not None)
    if not votes:
        return None
    best = max(votes.values())
    return min(a for a in votes if votes[a] == best)


@pitfall(replaces="few_shot_cot_prompt", why="exemplars without the 'The answer is' sentence")
def no_answer_line(question: str, exemplars: Sequence[tuple[str, str, int]]) -> str:
    return "\n\n".join([f"Q: {q}\nA: {c}" for q, c, _ in exemplars] + [f"Q: {question}\nA:"])


@pitfall(replaces="majority_accuracy", why="ties count as wins (overestimates small n)")
def ties_win(p_correct: float, n_wrong: int, n: int) -> float:
    if n < 1 or n_wrong < 1 or not 0 <= p_correct <= 1:
        raise ValueError("args")
    probs = [p_correct] + [(1 - p_correct) / n_wrong] * n_wrong
    total = 0.0
    for counts in itertools.product(range(n + 1), repeat=n_wrong + 1):
        if sum(counts) == n and counts[0] == max(counts):
            total += math.factorial(n) / math.prod(math.factorial(c) for c in counts) * math.prod(
                p ** c for p, c in zip(probs, counts, strict=True))
    return total
