"""Plausible wrong fluency scores, neighbourhoods, rankings and datasets that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from grader import lm
from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from paraphrase import fluency, paraphrases, single_substitutions


@pitfall(replaces="fluency", why="summed log-probability: longer candidates always look less fluent (length bias)")
def summed_logprob(model: lm.CharGPT, text: str) -> float:
    if not 2 <= len(text) <= lm.CONTEXT + 1:
        raise ValueError("bad length")
    ids = lm.encode(text)
    with torch.no_grad():
        logp = F.log_softmax(model(ids[None, :-1])[0].double(), dim=-1)
    return float(logp.gather(1, ids[1:, None]).sum())


@pitfall(replaces="fluency", why="scores each character with the distribution at its own position (off by one)")
def same_position(model: lm.CharGPT, text: str) -> float:
    if not 2 <= len(text) <= lm.CONTEXT + 1:
        raise ValueError("bad length")
    ids = lm.encode(text)
    with torch.no_grad():
        logp = F.log_softmax(model(ids[None, :-1])[0].double(), dim=-1)
    return float(logp.gather(1, ids[:-1, None]).mean())


@pitfall(replaces="single_substitutions", why="str.replace: changes every occurrence, and words inside other words")
def string_replace(text: str, substitutes: dict[str, list[str]]) -> list[str]:
    out = []
    for word in dict.fromkeys(text.split(" ")):
        for sub in substitutes.get(word, []):
            candidate = text.replace(word, sub)
            if candidate != text and candidate not in out:
                out.append(candidate)
    return out


@pitfall(replaces="single_substitutions", why="no de-duplication: a repeated substitute gives the same candidate twice")
def keeps_duplicates(text: str, substitutes: dict[str, list[str]]) -> list[str]:
    words = text.split(" ")
    return [" ".join([*words[:i], s, *words[i + 1:]]) for i, w in enumerate(words)
            for s in substitutes.get(w, []) if s != w]


@pitfall(replaces="paraphrases", why="sorted ascending: returns the LEAST fluent candidates")
def least_fluent(model: lm.CharGPT, text: str, substitutes: dict[str, list[str]], n: int) -> list[str]:
    if n < 0:
        raise ValueError("n must be >= 0")
    candidates = single_substitutions(text, substitutes)
    return sorted(candidates, key=lambda c: fluency(model, c))[:n]


@pitfall(replaces="paraphrases", why="sort ascending then reverse: ties come out in reverse candidate order")
def reversed_ties(model: lm.CharGPT, text: str, substitutes: dict[str, list[str]], n: int) -> list[str]:
    if n < 0:
        raise ValueError("n must be >= 0")
    candidates = single_substitutions(text, substitutes)
    return sorted(candidates, key=lambda c: fluency(model, c))[::-1][:n]


@pitfall(replaces="augment_dataset", why="all originals first, then all paraphrases: each copy no longer follows its original")
def originals_then_paraphrases(model: lm.CharGPT, examples: list[tuple[str, int]], substitutes: dict[str, list[str]],
                               n: int) -> list[tuple[str, int]]:
    if n < 0:
        raise ValueError("n must be >= 0")
    out = list(examples)
    for text, label in examples:
        out.extend((p, label) for p in paraphrases(model, text, substitutes, n))
    return out
