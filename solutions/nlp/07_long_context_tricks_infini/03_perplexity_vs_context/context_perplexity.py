"""Reference solution for nlp-07-3."""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
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
