"""nlp-37-1: critiques from a language model, turned into synthetic preference data. Edit this file; `grader check nlp-37-1` tests it."""
from __future__ import annotations

import torch
import torch.nn.functional as F

from grader import lm


def surprisal(model: lm.CharGPT, prompt: str, response: str) -> torch.Tensor:
    """Per-character surprisal of `response` after `prompt`: s[t] = -log p(response[t] | prompt + response[:t]).

    One forward pass over the ids of `(prompt + response)[:-1]`; natural log; computed in float64.
    The model is not changed.

    Shapes:
        returns: (len(response),) float64 tensor, every entry >= 0

    Raises:
        ValueError: if prompt or response is empty, or len(prompt) + len(response) > lm.CONTEXT.
    """
    if not prompt or not response or len(prompt) + len(response) > lm.CONTEXT:
        raise ValueError("need a non-empty prompt and response that fit in lm.CONTEXT characters together")
    ids = lm.encode(prompt + response)
    with torch.no_grad():
        logp = F.log_softmax(model(ids[None, :-1])[0].double(), dim=-1)
    targets = ids[len(prompt):]
    return -logp[len(prompt) - 1:].gather(1, targets[:, None])[:, 0]


def critique(model: lm.CharGPT, prompt: str, response: str, threshold: float) -> list[tuple[int, int]]:
    """The model's critique of `response`: the maximal runs of characters it finds implausible.

    A character is flagged when its surprisal is strictly greater than `threshold` (nats). Returns
    the maximal runs of consecutive flagged positions as half-open spans (start, end), in increasing
    order; an empty list when nothing is flagged.

    Shapes:
        returns: list of (start, end) with 0 <= start < end <= len(response), disjoint, not touching

    Raises:
        ValueError: as `surprisal`.
    """
    flagged = (surprisal(model, prompt, response) > threshold).tolist()
    spans, start = [], None
    for i, bad in enumerate([*flagged, False]):
        if bad and start is None:
            start = i
        elif not bad and start is not None:
            spans.append((start, i))
            start = None
    return spans


def revise(model: lm.CharGPT, prompt: str, response: str, spans: list[tuple[int, int]]) -> str:
    """Rewrite the criticised characters: the revision the critique asks for.

    Positions are visited in increasing order; each position inside a span becomes the model's most
    likely character (argmax; the lowest id on a tie) given `prompt` + the revised response before
    it, so a later fix sees the earlier ones. Characters outside the spans are kept. The result has
    the length of `response`.

    Raises:
        ValueError: if a span is not 0 <= start < end <= len(response), or as `surprisal`.
    """
    if not prompt or not response or len(prompt) + len(response) > lm.CONTEXT:
        raise ValueError("need a non-empty prompt and response that fit in lm.CONTEXT characters together")
    for start, end in spans:
        if not 0 <= start < end <= len(response):
            raise ValueError(f"span {(start, end)} is not inside a response of length {len(response)}")
    chars = list(response)
    targets = sorted({p for start, end in spans for p in range(start, end)})
    vocab = lm.vocab()
    with torch.no_grad():
        for p in targets:
            ids = lm.encode(prompt + "".join(chars[:p]))
            chars[p] = vocab[int(model(ids[None])[0, -1].argmax())]
    return "".join(chars)


def preference_pairs(model: lm.CharGPT, items: list[tuple[str, str]], threshold: float
                     ) -> list[tuple[str, str, str]]:
    """Critique-and-revise synthetic preference data, Constitutional-AI style.

    For each (prompt, response) in order: critique it; if nothing is flagged, skip it (no pair);
    otherwise revise the flagged spans, and if the revision's mean surprisal is strictly lower than
    the original's, emit (prompt, chosen=revision, rejected=original); else skip it.

    Shapes:
        returns: list of (prompt, chosen, rejected), in the order of `items`
    """
    pairs = []
    for prompt, response in items:
        spans = critique(model, prompt, response, threshold)
        if not spans:
            continue
        revised = revise(model, prompt, response, spans)
        if surprisal(model, prompt, revised).mean() < surprisal(model, prompt, response).mean():
            pairs.append((prompt, revised, response))
    return pairs
