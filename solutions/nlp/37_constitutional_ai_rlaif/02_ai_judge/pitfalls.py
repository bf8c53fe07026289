"""Plausible wrong versions of the judge functions that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader import lm
from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ai_judge import continuation_logprob, judge


@pitfall(replaces="continuation_logprob", why="off by one: scores the last prompt character and drops the last continuation character")
def shifted_targets(model: lm.CharGPT, prompt: str, continuation: str) -> tuple[float, float]:
    if not prompt or not continuation:
        raise ValueError("empty text")
    ids = lm.encode(prompt + continuation)
    with torch.no_grad():
        logp = torch.log_softmax(model(ids[None, :-1])[0].double(), -1)
    picked = logp[torch.arange(len(ids) - 1), ids[1:]][len(prompt) - 2:-1] if len(prompt) > 1 else \
        logp[torch.arange(len(ids) - 1), ids[1:]][:-1]
    total = picked.sum().item()
    return total, total / len(continuation)


@pitfall(replaces="continuation_logprob", why="scores the prompt's characters too")
def scores_prompt(model: lm.CharGPT, prompt: str, continuation: str) -> tuple[float, float]:
    if not prompt or not continuation:
        raise ValueError("empty text")
    ids = lm.encode(prompt + continuation)
    with torch.no_grad():
        logp = torch.log_softmax(model(ids[None, :-1])[0].double(), -1)
    total = logp[torch.arange(len(ids) - 1), ids[1:]].sum().item()
    return total, total / len(continuation)


@pitfall(replaces="judge", why="compares summed log-probs: prefers whichever candidate is shorter")
def summed(model: lm.CharGPT, prompt: str, a: str, b: str, margin: float = 0.0) -> int:
    if margin < 0:
        raise ValueError("negative margin")
    gap = continuation_logprob(model, prompt, a)[0] - continuation_logprob(model, prompt, b)[0]
    return 1 if gap > margin else (-1 if gap < -margin else 0)


@pitfall(replaces="judge", why="no tie band: the margin is ignored and only an exact tie abstains")
def ignores_margin(model: lm.CharGPT, prompt: str, a: str, b: str, margin: float = 0.0) -> int:
    if margin < 0:
        raise ValueError("negative margin")
    gap = continuation_logprob(model, prompt, a)[1] - continuation_logprob(model, prompt, b)[1]
    return 1 if gap > 0 else (-1 if gap < 0 else 0)


@pitfall(replaces="label_preferences", why="keeps ties as (prompt, a, b): noisy coin-flip labels enter the data")
def keeps_ties(model: lm.CharGPT, items: list[tuple[str, str, str]],
               margin: float = 0.0) -> tuple[list[tuple[str, str, str]], int]:
    pairs = []
    for prompt, a, b in items:
        verdict = judge(model, prompt, a, b, margin)
        pairs.append((prompt, b, a) if verdict == -1 else (prompt, a, b))
    return pairs, 0


@pitfall(replaces="label_preferences", why="always lists a as chosen, whatever the verdict")
def ignores_verdict_direction(model: lm.CharGPT, items: list[tuple[str, str, str]],
                              margin: float = 0.0) -> tuple[list[tuple[str, str, str]], int]:
    pairs, ties = [], 0
    for prompt, a, b in items:
        if judge(model, prompt, a, b, margin) == 0:
            ties += 1
        else:
            pairs.append((prompt, a, b))
    return pairs, ties
