"""nlp-08-2: expert utilization over a dataset. Edit this file; `grader check nlp-08-2` tests it."""
from __future__ import annotations

from collections.abc import Iterable

import torch
from matplotlib.figure import Figure
from torch import nn


def route(logits: torch.Tensor, top_k: int, renormalize: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """Given, complete (you built it in nlp-08-1): softmax over the experts, then top-k.

    Shapes:
        logits: (N, n_experts)
        returns: expert_idx (N, top_k) long (most probable first), gates (N, top_k)
    """
    probs = torch.softmax(logits, dim=-1)
    gates, expert_idx = probs.topk(top_k, dim=-1)
    if renormalize:
        gates = gates / gates.sum(dim=-1, keepdim=True)
    return expert_idx, gates


def toy_dataset(n_batches: int, batch_size: int, seq_len: int, d_model: int,
                generator: torch.Generator) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Given: batches of right-padded token vectors, as a tokenized dataset would produce.

    Tokens come from a few Gaussian clusters (so a router has structure to pick up); each sequence
    has its own length in 1..seq_len and the padded positions hold zero vectors. mask is True at
    real tokens and False at padding.

    Shapes:
        returns: a list of n_batches pairs (x (batch_size, seq_len, d_model) float32,
                 mask (batch_size, seq_len) bool)
    """
    centers = torch.randn(4, d_model, generator=generator) * 2.0
    batches = []
    for _ in range(n_batches):
        which = torch.randint(len(centers), (batch_size, seq_len), generator=generator)
        x = centers[which] + torch.randn(batch_size, seq_len, d_model, generator=generator)
        lengths = torch.randint(1, seq_len + 1, (batch_size, 1), generator=generator)
        mask = torch.arange(seq_len) < lengths
        batches.append((x * mask[..., None], mask))
    return batches


def expert_counts(expert_idx: torch.Tensor, n_experts: int, mask: torch.Tensor | None = None) -> torch.Tensor:
    """How many routing assignments each expert received.

    Every (token, slot) pair of a real token counts once for its expert, so with top_k slots the
    counts sum to top_k * (number of real tokens). Tokens where mask is False (padding) are not
    counted. Experts nobody chose still get an entry (0).

    Shapes:
        expert_idx: (N, top_k) long; mask: (N,) bool or None (every token is real)
        returns: (n_experts,) long
    """
    raise NotImplementedError("expert_counts: count every (real token, slot) assignment per expert")


def utilization_over_dataset(router: nn.Linear, batches: Iterable[tuple[torch.Tensor, torch.Tensor]],
                             top_k: int) -> torch.Tensor:
    """Route every real token of every batch with `router` and `route`, and total the expert counts.

    Shapes:
        router: nn.Linear(d_model, n_experts, bias=False)
        batches: pairs (x (B, T, d_model), mask (B, T) bool, True = real token)
        returns: (n_experts,) long, summing to top_k * (real tokens in the dataset)
    """
    raise NotImplementedError("utilization_over_dataset: route each batch, count real tokens only, accumulate")


def load_balancing_loss(router_logits: torch.Tensor, top_k: int) -> torch.Tensor:
    """The auxiliary load-balancing loss of Switch Transformer / Mixtral:

        p = softmax(router_logits) per token;  S_n = token n's top_k experts
        f_e = (1/N) * #{n : e in S_n}           (fraction of tokens that chose e; sums to top_k)
        P_e = (1/N) * sum_n p[n, e]             (mean router probability of e; sums to 1)
        loss = n_experts * sum_e f_e * P_e

    f is a count (no gradient); the gradient flows through P. A perfectly even router scores top_k.

    Shapes:
        router_logits: (N, n_experts)
        returns: scalar tensor
    """
    raise NotImplementedError("load_balancing_loss: fractions from the top-k choices, mean probabilities, their dot")


def plot_utilization(counts_by_name: dict[str, torch.Tensor]) -> Figure:
    """One bar chart of expert utilization per entry of counts_by_name (e.g. per layer or per router).

    For each (name, counts) pair, in order, one axes titled name with one bar per expert (ax.bar,
    bar e at x = e with height counts[e]), a horizontal line (ax.axhline) at the even share
    counts.sum() / n_experts, x label "expert" and y label "tokens".

    Shapes:
        counts_by_name: name -> (n_experts,) counts
        returns: a matplotlib Figure with len(counts_by_name) axes
    """
    raise NotImplementedError("plot_utilization: one bar chart per entry, with the even-share line")
