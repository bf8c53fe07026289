"""Plausible wrong critics, revisers and preference pipelines that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from grader import lm
from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from critique import critique, revise, surprisal


@pitfall(replaces="surprisal", why="off by one: scores each character with the distribution that predicts the next one")
def shifted_positions(model: lm.CharGPT, prompt: str, response: str) -> torch.Tensor:
    if not prompt or not response or len(prompt) + len(response) > lm.CONTEXT:
        raise ValueError("bad input")
    ids = lm.encode(prompt + response)
    with torch.no_grad():
        logp = F.log_softmax(model(ids[None])[0].double(), dim=-1)
    return -logp[len(prompt):].gather(1, ids[len(prompt):, None])[:, 0]


@pitfall(replaces="surprisal", why="uses the raw logit instead of the log-softmax: not a log-probability")
def raw_logits(model: lm.CharGPT, prompt: str, response: str) -> torch.Tensor:
    if not prompt or not response or len(prompt) + len(response) > lm.CONTEXT:
        raise ValueError("bad input")
    ids = lm.encode(prompt + response)
    with torch.no_grad():
        logits = model(ids[None, :-1])[0].double()
    return -logits[len(prompt) - 1:].gather(1, ids[len(prompt):, None])[:, 0]


@pitfall(replaces="critique", why="flags at surprisal >= threshold: a character exactly on the threshold is flagged")
def inclusive_threshold(model: lm.CharGPT, prompt: str, response: str, threshold: float) -> list[tuple[int, int]]:
    flags = (surprisal(model, prompt, response) >= threshold).tolist()
    spans, start = [], None
    for i, bad in enumerate([*flags, False]):
        if bad and start is None:
            start = i
        elif not bad and start is not None:
            spans.append((start, i))
            start = None
    return spans


@pitfall(replaces="critique", why="one span per flagged character instead of maximal runs")
def one_span_per_character(model: lm.CharGPT, prompt: str, response: str, threshold: float) -> list[tuple[int, int]]:
    s = surprisal(model, prompt, response)
    return [(i, i + 1) for i in range(len(s)) if s[i] > threshold]


@pitfall(replaces="critique", why="drops a run that reaches the end of the response (the loop never closes it)")
def loses_final_run(model: lm.CharGPT, prompt: str, response: str, threshold: float) -> list[tuple[int, int]]:
    flags = (surprisal(model, prompt, response) > threshold).tolist()
    spans, start = [], None
    for i, bad in enumerate(flags):
        if bad and start is None:
            start = i
        elif not bad and start is not None:
            spans.append((start, i))
            start = None
    return spans


@pitfall(replaces="revise", why="predicts every flagged character from the ORIGINAL prefix: later fixes ignore earlier ones")
def original_prefix(model: lm.CharGPT, prompt: str, response: str, spans: list[tuple[int, int]]) -> str:
    if not prompt or not response or len(prompt) + len(response) > lm.CONTEXT:
        raise ValueError("bad input")
    for start, end in spans:
        if not 0 <= start < end <= len(response):
            raise ValueError("bad span")
    chars = list(response)
    with torch.no_grad():
        for start, end in spans:
            for p in range(start, end):
                ids = lm.encode(prompt + response[:p])
                chars[p] = lm.vocab()[int(model(ids[None])[0, -1].argmax())]
    return "".join(chars)


@pitfall(replaces="revise", why="treats spans as inclusive: rewrites the character at `end` too")
def inclusive_end(model: lm.CharGPT, prompt: str, response: str, spans: list[tuple[int, int]]) -> str:
    if not prompt or not response or len(prompt) + len(response) > lm.CONTEXT:
        raise ValueError("bad input")
    for start, end in spans:
        if not 0 <= start < end <= len(response):
            raise ValueError("bad span")
    chars = list(response)
    targets = sorted({p for start, end in spans for p in range(start, min(end + 1, len(response)))})
    with torch.no_grad():
        for p in targets:
            ids = lm.encode(prompt + "".join(chars[:p]))
            chars[p] = lm.vocab()[int(model(ids[None])[0, -1].argmax())]
    return "".join(chars)


@pitfall(replaces="preference_pairs", why="keeps every revision, even when the model finds it no better (no filter)")
def no_improvement_filter(model: lm.CharGPT, items: list[tuple[str, str]], threshold: float) -> list[tuple[str, str, str]]:
    pairs = []
    for prompt, response in items:
        spans = critique(model, prompt, response, threshold)
        if spans:
            pairs.append((prompt, revise(model, prompt, response, spans), response))
    return pairs


@pitfall(replaces="preference_pairs", why="chosen and rejected swapped: the original is preferred to its revision")
def swapped_roles(model: lm.CharGPT, items: list[tuple[str, str]], threshold: float) -> list[tuple[str, str, str]]:
    pairs = []
    for prompt, response in items:
        spans = critique(model, prompt, response, threshold)
        if not spans:
            continue
        revised = revise(model, prompt, response, spans)
        if surprisal(model, prompt, revised).mean() < surprisal(model, prompt, response).mean():
            pairs.append((prompt, response, revised))
    return pairs
