"""nlp-07-3: perplexity vs context length, and the point where it collapses. Edit this file;
`grader check nlp-07-3` tests it."""
from __future__ import annotations

import math  # noqa: F401  (math.exp is one way to get a perplexity)
from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt  # noqa: F401  (you will need it for plot_perplexity_vs_context)
import numpy as np
import torch
from matplotlib.figure import Figure

from grader import lm

Model = Callable[[torch.Tensor], torch.Tensor]


TRAINED_CONTEXT = lm.CONTEXT   # the workbook LM was trained on windows of 64 characters


def workbook_lm() -> Model:
    """Given, complete: the workbook's trained character-level GPT (grader/lm.py) as a Model.

    A 4-layer, ~0.3 M-parameter GPT with rotary positions, trained by tools/train_char_lm.py on tiny
    Shakespeare with windows of TRAINED_CONTEXT = 64 characters and never on anything longer. The
    returned model maps character ids (T,) long, any T >= 1, to next-character log-probabilities
    (T, 65) float64 (row j predicts token j + 1); positions count from the start of the window it is
    given.
    """
    net = lm.load_model()

    @torch.no_grad()
    def model(tokens: torch.Tensor) -> torch.Tensor:
        return torch.log_softmax(net(tokens[None])[0].double(), dim=-1)

    return model


def held_out_text(n_chars: int, start: int = 0) -> torch.Tensor:
    """Given, complete: character ids (n_chars,) of the held-out validation split, from `start` on.

    The model never trained on this text. `lm.decode(ids)` turns ids back into a string.
    """
    return lm.corpus_splits()[1][start:start + n_chars]


def sequence_nll(model: Model, tokens: torch.Tensor, context_len: int, stride: int) -> torch.Tensor:
    """Score every token of a long document once, with a sliding window of context_len tokens.

    The model sees at most context_len tokens at a time. Windows end at e_0 = min(context_len, L),
    then e_{k+1} = min(e_k + stride, L), until the end of the document; window k covers
    tokens[max(0, e_k - context_len) : e_k] and scores only the tokens no earlier window scored:
    tokens 1 .. e_0 - 1 for the first window, tokens e_{k-1} .. e_k - 1 after that. Token i is
    scored with the model's log-probability at the position just before it in the window
    (model(window)[j] predicts window[j + 1]). Token 0 has no context and is never scored.

    Shapes:
        tokens: (L,), dtype long
        returns: (L - 1,) float64, entry i - 1 = -log p(tokens[i] | its window's tokens before it)

    Raises:
        ValueError: unless context_len >= 2 and 1 <= stride <= context_len - 1.
    """
    raise NotImplementedError("sequence_nll: slide the window by stride, score only the new tokens")


def perplexity_vs_context(model: Model, tokens: torch.Tensor, context_lens: Sequence[int],
                          stride_fraction: float = 0.5) -> np.ndarray:
    """Perplexity exp(mean NLL) of the document at each context length.

    For context length c use stride = min(max(1, int(c * stride_fraction)), c - 1) and average
    sequence_nll over all scored tokens (one mean per c, not a mean of per-window perplexities).

    Shapes:
        returns: (len(context_lens),) float64
    """
    raise NotImplementedError("perplexity_vs_context: exp of the mean token NLL, per context length")


def find_collapse_point(context_lens: Sequence[int], perplexities: Sequence[float], factor: float = 2.0) -> int | None:
    """The first context length past the best one where perplexity exceeds factor times the best.

    best = the first index of the minimum perplexity. Return context_lens[i] for the smallest i > best
    with perplexities[i] > factor * perplexities[best], or None if there is none. (Short contexts
    before the best one are also bad, but that is not a collapse.) perplexities may be a list, a
    float32 or a float64 array; compare in float64 (both sides as float64), so a float32 value just
    above factor x the best counts even where factor * best rounded to float32 would equal it.
    """
    raise NotImplementedError("find_collapse_point: argmin, then the first later value above factor * min")


def plot_perplexity_vs_context(context_lens: Sequence[int], perplexities: Sequence[float],
                               collapse_at: int | None = None) -> Figure:
    """One axes: perplexity (y, log scale) against context length (x), marking the collapse point.

    One line with x = context_lens and y = perplexities, x label "context length", y label
    "perplexity", y scale "log"; when collapse_at is given, a vertical line at x = collapse_at
    (ax.axvline) as the only other line.
    """
    raise NotImplementedError("plot_perplexity_vs_context: one line, log y, a vertical marker")
