"""nlp-37-2: an AI judge for preference labelling. Edit this file; `grader check nlp-37-2` tests it."""
from __future__ import annotations

import torch  # noqa: F401  (you will need it)

from grader import lm


def continuation_logprob(model: lm.CharGPT, prompt: str, continuation: str) -> tuple[float, float]:
    """How likely the judge model finds `continuation` after `prompt`.

    The sum over the continuation's characters c_i of log p(c_i | prompt + c_1..c_{i-1}) (natural
    log), and that sum divided by len(continuation). The prompt's own characters are not scored.
    Computed without gradients.

    Returns:
        (total, per_character), two floats

    Raises:
        ValueError: if prompt or continuation is empty.
    """
    raise NotImplementedError("continuation_logprob: one forward pass over prompt + continuation")


def judge(model: lm.CharGPT, prompt: str, a: str, b: str, margin: float = 0.0) -> int:
    """The judge's verdict on two candidate continuations of `prompt`.

    With gap = per-character log-prob of a - that of b (continuation_logprob): 1 (a is better)
    if gap > margin, -1 (b is better) if gap < -margin, else 0 (a tie). Swapping a and b negates
    the verdict.

    Raises:
        ValueError: if margin < 0.
    """
    raise NotImplementedError("judge: compare the per-character log-probs, with a tie band")


def label_preferences(model: lm.CharGPT, items: list[tuple[str, str, str]],
                      margin: float = 0.0) -> tuple[list[tuple[str, str, str]], int]:
    """Turn (prompt, a, b) items into preference data with the judge.

    Each decided item becomes (prompt, chosen, rejected), in input order; ties are dropped and
    counted.

    Returns:
        (pairs, number_of_ties)
    """
    raise NotImplementedError("label_preferences: judge each item, keep the decided ones")
