"""nlp-05-2: entropy vs output diversity as you sweep the sampling parameters. Edit this file;
`grader check nlp-05-2` tests it."""
from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt  # noqa: F401  (you will need it for plot_entropy_vs_diversity)
import numpy as np
import torch
from matplotlib.figure import Figure


def sampling_distribution(logits: torch.Tensor, temperature: float = 1.0, top_k: int | None = None,
                          top_p: float = 1.0) -> torch.Tensor:
    """Given, complete (you built it in nlp-05-1): temperature, then top-k, then top-p, then softmax.

    Ties rank the lower token id first. Filtered tokens get probability exactly 0.

    Shapes:
        logits: (..., V)
        returns: (..., V), rows sum to 1
    """
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    if not 0 < top_p <= 1:
        raise ValueError(f"top_p must be in (0, 1], got {top_p}")
    x = logits / temperature
    sorted_x, order = torch.sort(x, dim=-1, descending=True, stable=True)
    keep = torch.ones_like(sorted_x, dtype=torch.bool)
    if top_k is not None:
        if top_k < 1:
            raise ValueError(f"top_k must be >= 1 or None, got {top_k}")
        keep[..., top_k:] = False
    if top_p < 1:
        probs = torch.softmax(sorted_x.masked_fill(~keep, float("-inf")), dim=-1)
        keep &= probs.cumsum(-1) - probs < top_p
    mask = torch.zeros_like(keep).scatter(-1, order, keep)
    return torch.softmax(x.masked_fill(~mask, float("-inf")), dim=-1)


@dataclass
class SweepResult:
    """Given: what sweep() returns, one entry per swept value."""
    param: str                                   # "temperature", "top_k" or "top_p"
    values: list[float]                          # the swept values, in the order given
    entropy: np.ndarray                          # (n_values,) mean next-token entropy in nats
    distinct_1: np.ndarray                       # (n_values,) distinct-1 of the generated sequences
    distinct_2: np.ndarray                       # (n_values,) distinct-2 of the generated sequences
    sequences: list[torch.Tensor] = field(default_factory=list)  # each (n_seqs, length)


def entropy(probs: torch.Tensor) -> torch.Tensor:
    """Shannon entropy in nats of each distribution along the last axis, with 0 * log 0 = 0.

    Shapes:
        probs: (..., V), rows sum to 1, entries >= 0 (filtered tokens are exactly 0)
        returns: (...,)
    """
    raise NotImplementedError("entropy: -sum p log p, skipping the zeros")


def distinct_n(sequences: torch.Tensor, n: int) -> float:
    """distinct-n (Li et al. 2016): distinct n-grams / total n-grams, over all the sequences.

    n-grams are contiguous windows inside one sequence (never across two rows). Each sequence of
    length L contributes L - n + 1 n-grams; returns 0.0 when there are none (L < n).

    Shapes:
        sequences: (n_seqs, L), dtype long

    Raises:
        ValueError: if n < 1.
    """
    raise NotImplementedError("distinct_n: collect every n-gram of every row, count the distinct ones")


def generate(bigram_logits: torch.Tensor, start: int, n_seqs: int, length: int, generator: torch.Generator,
             temperature: float = 1.0, top_k: int | None = None, top_p: float = 1.0) -> torch.Tensor:
    """Sample n_seqs sequences from a bigram language model, all continuing the token `start`.

    Row a of bigram_logits holds the next-token logits after token a. Token t of a sequence is drawn
    from sampling_distribution(bigram_logits[previous token], temperature, top_k, top_p), the
    previous token of t = 0 being `start` (which is not part of the output). Draw every token with
    `generator`.

    Shapes:
        bigram_logits: (V, V)
        returns: (n_seqs, length), dtype long
    """
    raise NotImplementedError("generate: one multinomial draw per sequence per step, from the row of the previous token")


def sweep(bigram_logits: torch.Tensor, param: str, values: list[float], n_seqs: int, length: int, seed: int,
          start: int = 0, temperature: float = 1.0, top_k: int | None = None, top_p: float = 1.0) -> SweepResult:
    """Sweep one sampling parameter and record entropy and diversity at each value.

    For each value v (in order), with `param` ("temperature", "top_k" or "top_p") set to v and the
    other two parameters taken from the arguments:
      - entropy: the mean over the V rows of entropy(sampling_distribution(bigram_logits, ...)),
        i.e. the model's average next-token entropy after filtering;
      - sequences: generate(bigram_logits, start, n_seqs, length, torch.Generator().manual_seed(seed), ...)
        (a fresh generator with the same seed for every value);
      - distinct_1, distinct_2: distinct_n of those sequences with n = 1 and n = 2.

    Raises:
        ValueError: if param is not one of the three names.
    """
    raise NotImplementedError("sweep: loop over the values, fill a SweepResult")


def plot_entropy_vs_diversity(result: SweepResult) -> Figure:
    """Two axes, side by side.

    Left, titled f"sweep over {result.param}": one line, x = result.values, y = result.entropy,
    x label result.param, y label "entropy (nats)".
    Right, titled "diversity vs entropy": two lines labelled "distinct-1" and "distinct-2"
    (x = result.entropy, y = result.distinct_1 / result.distinct_2), x label "entropy (nats)",
    y label "distinct-n", and a legend.
    """
    raise NotImplementedError("plot_entropy_vs_diversity: two axes, three lines")
