"""Reference solution for nlp-37-2."""
from __future__ import annotations

import torch

from grader import lm


def continuation_logprob(model: lm.CharGPT, prompt: str, continuation: str) -> tuple[float, float]:
    if not prompt or not continuation:
        raise ValueError("prompt and continuation must both be non-empty")
    ids = lm.encode(prompt + continuation)
    with torch.no_grad():
        logp = torch.log_softmax(model(ids[None, :-1])[0].double(), dim=-1)
    picked = logp[torch.arange(len(ids) - 1), ids[1:]][len(prompt) - 1:]
    total = picked.sum().item()
    return total, total / len(continuation)


def judge(model: lm.CharGPT, prompt: str, a: str, b: str, margin: float = 0.0) -> int:
    if margin < 0:
        raise ValueError(f"margin must be >= 0, got {margin}")
    gap = continuation_logprob(model, prompt, a)[1] - continuation_logprob(model, prompt, b)[1]
    if gap > margin:
        return 1
    if gap < -margin:
        return -1
    return 0


def label_preferences(model: lm.CharGPT, items: list[tuple[str, str, str]],
                      margin: float = 0.0) -> tuple[list[tuple[str, str, str]], int]:
    pairs, ties = [], 0
    for prompt, a, b in items:
        verdict = judge(model, prompt, a, b, margin)
        if verdict == 1:
            pairs.append((prompt, a, b))
        elif verdict == -1:
            pairs.append((prompt, b, a))
        else:
            ties += 1
    return pairs, ties
