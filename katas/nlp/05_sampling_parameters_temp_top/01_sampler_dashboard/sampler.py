"""nlp-05-1: a sampler dashboard for temperature, top-k and top-p. Edit this file;
`grader check nlp-05-1` tests it."""
from __future__ import annotations

import matplotlib.pyplot as plt  # noqa: F401  (you will need it for plot_dashboard)
import torch
from matplotlib.figure import Figure


def apply_temperature(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """Scale the logits by 1/temperature (temperature > 0; greedy decoding is nlp-05-3).

    Shapes:
        logits: (..., V)
        returns: (..., V), same dtype

    Raises:
        ValueError: if temperature <= 0.
    """
    raise NotImplementedError("apply_temperature: divide by the temperature")


def top_k_filter(logits: torch.Tensor, k: int | None) -> torch.Tensor:
    """Keep exactly the k largest logits of each row and set every other entry to -inf.

    Ties are broken toward the lower token id: among equal logits, the one with the smaller index
    ranks higher. k=None or k >= V keeps everything. Kept entries are returned unchanged.

    Shapes:
        logits: (..., V)
        returns: (..., V), same dtype

    Raises:
        ValueError: if k < 1.
    """
    raise NotImplementedError("top_k_filter: rank each row (stable, descending) and keep the first k")


def top_p_filter(logits: torch.Tensor, p: float) -> torch.Tensor:
    """Nucleus filtering: keep the smallest set of top-ranked tokens whose probability reaches p.

    Rank the tokens of each row by probability softmax(logits) (ties toward the lower token id), and
    keep the shortest prefix of that ranking whose total probability is >= p; set the rest to -inf.
    The top token is always kept. p = 1 keeps everything. Kept entries are returned unchanged.

    Shapes:
        logits: (..., V)
        returns: (..., V), same dtype

    Raises:
        ValueError: unless 0 < p <= 1.
    """
    raise NotImplementedError("top_p_filter: sort, cumulative probability, keep the prefix that reaches p")


def sampling_distribution(logits: torch.Tensor, temperature: float = 1.0, top_k: int | None = None,
                          top_p: float = 1.0) -> torch.Tensor:
    """The distribution a sampler draws from: temperature, then top-k, then top-p, then softmax.

    (The order of Hugging Face's `generate`: top-p sees the tempered distribution restricted to the
    top-k survivors.) Filtered-out tokens get probability exactly 0.

    Shapes:
        logits: (..., V)
        returns: (..., V), each row sums to 1
    """
    raise NotImplementedError("sampling_distribution: chain the three filters, then softmax")


def sample(logits: torch.Tensor, n_samples: int, generator: torch.Generator | None = None,
           temperature: float = 1.0, top_k: int | None = None, top_p: float = 1.0) -> torch.Tensor:
    """Draw n_samples token ids per row, independently, from sampling_distribution(...).

    Use the given generator for every random draw, so a seed reproduces the samples.

    Shapes:
        logits: (..., V)
        returns: (..., n_samples), dtype torch.long
    """
    raise NotImplementedError("sample: multinomial draws (with replacement) from the filtered distribution")


def plot_dashboard(logits: torch.Tensor, tokens: list[str], temperature: float = 1.0, top_k: int | None = None,
                   top_p: float = 1.0, n_samples: int = 1000, seed: int = 0) -> Figure:
    """One frame of the dashboard: what the sampler would draw from, and what it did draw.

    Two axes, side by side:
      - left, titled "sampling distribution": one bar per token (in token-id order, V bars and no
        other patches), height sampling_distribution(logits, temperature, top_k, top_p)[i];
      - right, titled f"{n_samples} samples": one bar per token, height count / n_samples of the
        tokens drawn by sample(logits, n_samples, torch.Generator().manual_seed(seed), ...).
    Both axes use `tokens` as x tick labels (tick i at x = i). A notebook wires this function to
    sliders (see the README).

    Shapes:
        logits: (V,); len(tokens) == V
        returns: a matplotlib Figure
    """
    raise NotImplementedError("plot_dashboard: two bar charts, probabilities and sample frequencies")
