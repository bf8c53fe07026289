"""Reference solution for nlp-07-3."""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
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
    if context_len < 2 or not 1 <= stride <= context_len - 1:
        raise ValueError(f"need context_len >= 2 and 1 <= stride <= context_len - 1, got {context_len=}, {stride=}")
    length = tokens.shape[0]
    nll = torch.empty(max(length - 1, 0), dtype=torch.float64)
    scored_up_to = 1                                   # token 0 has no context and is never scored
    end = min(context_len, length)
    while scored_up_to < length:
        start = max(0, end - context_len)
        logp = model(tokens[start:end])                # logp[i] predicts tokens[start + i + 1]
        targets = torch.arange(scored_up_to, end)
        nll[targets - 1] = -logp[targets - start - 1, tokens[targets]]
        scored_up_to = end
        end = min(end + stride, length)
    return nll


def perplexity_vs_context(model: Model, tokens: torch.Tensor, context_lens: Sequence[int],
                          stride_fraction: float = 0.5) -> np.ndarray:
    out = []
    for c in context_lens:
        stride = min(max(1, int(c * stride_fraction)), c - 1)
        out.append(math.exp(float(sequence_nll(model, tokens, c, stride).mean())))
    return np.array(out)


def find_collapse_point(context_lens: Sequence[int], perplexities: Sequence[float], factor: float = 2.0) -> int | None:
    """The first context length past the best one where perplexity exceeds factor times the best.

    best = the first index of the minimum perplexity. Return context_lens[i] for the smallest i > best
    with perplexities[i] > factor * perplexities[best], or None if there is none. (Short contexts
    before the best one are also bad, but that is not a collapse.) perplexities may be a list, a
    float32 or a float64 array; compare in float64 (both sides as float64), so a float32 value just
    above factor x the best counts even where factor * best rounded to float32 would equal it.
    """
    ppl = np.asarray(perplexities, dtype=np.float64)
    best = int(np.argmin(ppl))
    for i in range(best + 1, len(ppl)):
        if ppl[i] > factor * ppl[best]:
            return int(context_lens[i])
    return None


def plot_perplexity_vs_context(context_lens: Sequence[int], perplexities: Sequence[float],
                               collapse_at: int | None = None) -> Figure:
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(context_lens, perplexities, marker="o", label="perplexity")
    if collapse_at is not None:
        ax.axvline(collapse_at, color="red", linestyle="--", label=f"collapse at {collapse_at}")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("context length")
    ax.set_ylabel("perplexity")
    ax.set_title("perplexity vs context length")
    ax.legend()
    return fig
