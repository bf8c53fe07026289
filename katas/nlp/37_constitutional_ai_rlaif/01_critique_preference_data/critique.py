"""nlp-37-1: critiques from a language model, turned into synthetic preference data. Edit this file; `grader check nlp-37-1` tests it."""
from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401  (F.log_softmax, for surprisal)

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
    raise NotImplementedError("surprisal: one forward pass, log_softmax in float64, pick the response characters")


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
    raise NotImplementedError("critique: maximal runs of characters with surprisal > threshold")


def revise(model: lm.CharGPT, prompt: str, response: str, spans: list[tuple[int, int]]) -> str:
    """Rewrite the criticised characters: the revision the critique asks for.

    Positions are visited in increasing order; each position inside a span becomes the model's most
    likely character (argmax; the lowest id on a tie) given `prompt` + the revised response before
    it, so a later fix sees the earlier ones. Characters outside the spans are kept. The result has
    the length of `response`.

    Raises:
        ValueError: if a span is not 0 <= start < end <= len(response), or as `surprisal`.
    """
    raise NotImplementedError("revise: left to right, each flagged character becomes the argmax given the revised prefix")


def preference_pairs(model: lm.CharGPT, items: list[tuple[str, str]], threshold: float
                     ) -> list[tuple[str, str, str]]:
    """Critique-and-revise synthetic preference data, Constitutional-AI style.

    For each (prompt, response) in order: critique it; if nothing is flagged, skip it (no pair);
    otherwise revise the flagged spans, and if the revision's mean surprisal is strictly lower than
    the original's, emit (prompt, chosen=revision, rejected=original); else skip it.

    Shapes:
        returns: list of (prompt, chosen, rejected), in the order of `items`
    """
    raise NotImplementedError("preference_pairs: critique, revise, keep (prompt, revision, original) when the revision is less surprising")
