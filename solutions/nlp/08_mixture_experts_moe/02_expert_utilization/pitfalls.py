"""Plausible wrong utilization statistics that the tests must reject."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import torch
from matplotlib.figure import Figure
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from utilization import expert_counts, route


@pitfall(replaces="expert_counts", why="ignores the mask: padding tokens are routed and counted too")
def counts_padding(expert_idx: torch.Tensor, n_experts: int, mask: torch.Tensor | None = None) -> torch.Tensor:
    return torch.bincount(expert_idx.reshape(-1), minlength=n_experts)


@pitfall(replaces="expert_counts", why="counts only each token's first choice, not all top_k slots")
def first_choice_only(expert_idx: torch.Tensor, n_experts: int, mask: torch.Tensor | None = None) -> torch.Tensor:
    if mask is not None:
        expert_idx = expert_idx[mask]
    return torch.bincount(expert_idx[:, 0], minlength=n_experts)


@pitfall(replaces="expert_counts", why="bincount without minlength: experts nobody chose drop off the end")
def no_minlength(expert_idx: torch.Tensor, n_experts: int, mask: torch.Tensor | None = None) -> torch.Tensor:
    if mask is not None:
        expert_idx = expert_idx[mask]
    return torch.bincount(expert_idx.reshape(-1))


@pitfall(replaces="utilization_over_dataset", why="routes every position of the padded batch, padding included")
def dataset_without_mask(router: nn.Linear, batches: Iterable[tuple[torch.Tensor, torch.Tensor]],
                         top_k: int) -> torch.Tensor:
    counts = torch.zeros(router.out_features, dtype=torch.long)
    with torch.no_grad():
        for x, _ in batches:
            expert_idx, _ = route(router(x.reshape(-1, x.shape[-1])), top_k)
            counts += expert_counts(expert_idx, router.out_features)
    return counts


@pitfall(replaces="load_balancing_loss", why="forgets the n_experts factor (a balanced router then scores top_k / E)")
def no_expert_factor(router_logits: torch.Tensor, top_k: int) -> torch.Tensor:
    n, n_experts = router_logits.shape
    probs = torch.softmax(router_logits, dim=-1)
    f = torch.bincount(probs.topk(top_k, dim=-1).indices.reshape(-1), minlength=n_experts).to(probs.dtype) / n
    return (f * probs.mean(dim=0)).sum()


@pitfall(replaces="load_balancing_loss", why="uses the mean probabilities for f too (sum of P_e squared)")
def soft_fractions(router_logits: torch.Tensor, top_k: int) -> torch.Tensor:
    n_experts = router_logits.shape[-1]
    p = torch.softmax(router_logits, dim=-1).mean(dim=0)
    return n_experts * top_k * (p * p).sum()


@pitfall(replaces="load_balancing_loss", why="f from the top-1 choice only, whatever top_k is")
def top1_fractions(router_logits: torch.Tensor, top_k: int) -> torch.Tensor:
    n, n_experts = router_logits.shape
    probs = torch.softmax(router_logits, dim=-1)
    f = torch.bincount(probs.argmax(dim=-1), minlength=n_experts).to(probs.dtype) / n
    return n_experts * (f * probs.mean(dim=0)).sum()


@pitfall(replaces="plot_utilization", why="plots fractions (counts / total) where the y axis says tokens")
def plots_fractions(counts_by_name: dict[str, torch.Tensor]) -> Figure:
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(counts_by_name), squeeze=False)
    for ax, (name, counts) in zip(axes[0], counts_by_name.items(), strict=True):
        c = torch.as_tensor(counts).double()
        ax.bar(range(len(c)), (c / c.sum()).numpy())
        ax.axhline(1.0 / len(c), color="k", linestyle="--")
        ax.set_title(name)
        ax.set_xlabel("expert")
        ax.set_ylabel("tokens")
    return fig


@pitfall(replaces="expert_counts", why="accumulates into torch.zeros(n_experts): float32 counts, not long")
def float_counts(expert_idx: torch.Tensor, n_experts: int, mask: torch.Tensor | None = None) -> torch.Tensor:
    if mask is not None:
        expert_idx = expert_idx[mask]
    counts = torch.zeros(n_experts)
    counts.index_add_(0, expert_idx.reshape(-1), torch.ones(expert_idx.numel()))
    return counts
