"""Plausible wrong long-context evaluation that the tests must reject."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import torch
from matplotlib.figure import Figure

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from context_perplexity import Model, plot_perplexity_vs_context, sequence_nll


@pitfall(replaces="sequence_nll", why="every window scores all its tokens; overlapping tokens end with the last window's score")
def rescores_overlaps(model: Model, tokens: torch.Tensor, context_len: int, stride: int) -> torch.Tensor:
    if context_len < 2 or not 1 <= stride <= context_len - 1:
        raise ValueError("sizes")
    length = tokens.shape[0]
    nll = torch.empty(max(length - 1, 0), dtype=torch.float64)
    end = min(context_len, length)
    while True:
        start = max(0, end - context_len)
        logp = model(tokens[start:end])
        targets = torch.arange(start + 1, end)
        nll[targets - 1] = -logp[targets - start - 1, tokens[targets]]
        if end == length:
            return nll
        end = min(end + stride, length)


@pitfall(replaces="sequence_nll", why="non-overlapping chunks of context_len: the stride is ignored and context restarts")
def disjoint_chunks(model: Model, tokens: torch.Tensor, context_len: int, stride: int) -> torch.Tensor:
    if context_len < 2 or not 1 <= stride <= context_len - 1:
        raise ValueError("sizes")
    length = tokens.shape[0]
    nll = torch.zeros(max(length - 1, 0), dtype=torch.float64)
    for start in range(0, length, context_len):
        chunk = tokens[start:start + context_len]
        logp = model(chunk)
        targets = torch.arange(1, chunk.shape[0])
        nll[start + targets - 1] = -logp[targets - 1, chunk[targets]]
    return nll


@pitfall(replaces="sequence_nll", why="window starts one token late: the model sees context_len - 1 tokens")
def window_one_short(model: Model, tokens: torch.Tensor, context_len: int, stride: int) -> torch.Tensor:
    if context_len < 2 or not 1 <= stride <= context_len - 1:
        raise ValueError("sizes")
    length = tokens.shape[0]
    nll = torch.empty(max(length - 1, 0), dtype=torch.float64)
    scored, end = 1, min(context_len, length)
    while scored < length:
        start = max(0, end - context_len + 1) if end > context_len - 1 and scored > 1 else 0
        start = min(start, scored - 1)
        logp = model(tokens[start:end])
        targets = torch.arange(scored, end)
        nll[targets - 1] = -logp[targets - start - 1, tokens[targets]]
        scored, end = end, min(end + stride, length)
    return nll


@pitfall(replaces="perplexity_vs_context", why="mean of per-token perplexities exp(nll) instead of exp of the mean NLL")
def mean_of_exp(model: Model, tokens: torch.Tensor, context_lens: Sequence[int],
                stride_fraction: float = 0.5) -> np.ndarray:
    out = []
    for c in context_lens:
        stride = min(max(1, int(c * stride_fraction)), c - 1)
        out.append(float(sequence_nll(model, tokens, c, stride).exp().mean()))
    return np.array(out)


@pitfall(replaces="find_collapse_point", why="searches from the shortest context, so bad short contexts count as a collapse")
def collapse_from_the_start(context_lens: Sequence[int], perplexities: Sequence[float],
                            factor: float = 2.0) -> int | None:
    ppl = np.asarray(perplexities, dtype=np.float64)
    for i in range(len(ppl)):
        if ppl[i] > factor * ppl.min():
            return int(context_lens[i])
    return None


@pitfall(replaces="find_collapse_point", why="returns the index of the collapse instead of its context length")
def collapse_index(context_lens: Sequence[int], perplexities: Sequence[float], factor: float = 2.0) -> int | None:
    ppl = np.asarray(perplexities, dtype=np.float64)
    best = int(np.argmin(ppl))
    for i in range(best + 1, len(ppl)):
        if ppl[i] > factor * ppl[best]:
            return i
    return None


_plot = plot_perplexity_vs_context


@pitfall(replaces="plot_perplexity_vs_context", why="linear y axis: the collapse hides the whole useful range")
def linear_y(context_lens: Sequence[int], perplexities: Sequence[float], collapse_at: int | None = None) -> Figure:
    fig = _plot(context_lens, perplexities, collapse_at)
    fig.axes[0].set_yscale("linear")
    return fig


