"""nlp-07-3: perplexity vs context length, and the point where it collapses. Edit this file;
`grader check nlp-07-3` tests it."""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt  # noqa: F401  (you will need it for plot_perplexity_vs_context)
import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure

Model = Callable[[torch.Tensor], torch.Tensor]


def make_toy_lm(vocab_size: int, lag: int, trained_len: int, sharpness: float = 8.0, eps: float = 1e-3) -> Model:
    """Given, complete: a one-head attention language model whose positions stop working at trained_len.

    Position p of the input (counted from the start of whatever window the model is given) has a
    query and a key feature vector. For p < trained_len they are the rotary-style features of a
    head that attends exactly `lag` positions back (score sharpness · Σ_m cos(pi (t - lag - j) / 2**m),
    highest at j = t - lag); for p >= trained_len they are random vectors of the same norm, as
    position embeddings that training never reached. Values are one-hot tokens, and position t
    predicts token t + 1 with log((1 - eps) · attention output + eps / V).

    The returned model maps tokens (T,) long, T <= 1024, to next-token log-probabilities (T, V) float64.
    """
    n_freq, max_pos = 11, 1024
    theta = math.pi / 2.0 ** torch.arange(n_freq, dtype=torch.float64)
    pos = torch.arange(max_pos, dtype=torch.float64)[:, None]
    feat_q = torch.cat([torch.cos((pos - lag) * theta), torch.sin((pos - lag) * theta)], dim=-1)
    feat_k = torch.cat([torch.cos(pos * theta), torch.sin(pos * theta)], dim=-1)
    g = torch.Generator().manual_seed(1234)
    for feat in (feat_q, feat_k):
        noise = torch.randn(max_pos - trained_len, 2 * n_freq, generator=g, dtype=torch.float64)
        feat[trained_len:] = noise / noise.norm(dim=-1, keepdim=True) * math.sqrt(n_freq)

    def model(tokens: torch.Tensor) -> torch.Tensor:
        t = tokens.shape[0]
        if t > max_pos:
            raise ValueError(f"the toy model has {max_pos} positions, got {t} tokens")
        scores = sharpness * feat_q[:t] @ feat_k[:t].T
        scores = scores.masked_fill(~torch.ones(t, t, dtype=torch.bool).tril(), float("-inf"))
        out = torch.softmax(scores, dim=-1) @ F.one_hot(tokens, vocab_size).double()
        return torch.log((1 - eps) * out + eps / vocab_size)

    return model


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
    before the best one are also bad, but that is not a collapse.)
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
