"""sys-04-3: top-k expert routing with capacity factor, token dropping and the load-balancing loss.
Edit this file; `grader check sys-04-3` tests it."""
from __future__ import annotations

import math  # noqa: F401 - you will need it

import torch


def expert_capacity(n_tokens: int, n_experts: int, k: int, capacity_factor: float) -> int:
    """Buffer slots per expert: ceil(capacity_factor * n_tokens * k / n_experts).

    Raises:
        ValueError: if n_tokens < 1, n_experts < 1, k is not in [1, n_experts] or capacity_factor <= 0.
    """
    raise NotImplementedError("expert_capacity")


def top_k_experts(logits: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The k most probable experts of each token under softmax(logits) (over all experts), most
    probable first; equal probabilities go to the lower expert index. logits is not modified.

    Shapes:
        logits: (n_tokens, n_experts) float32 or float64
        returns: experts (n_tokens, k) int64, their probabilities (n_tokens, k) in logits' dtype
    """
    raise NotImplementedError("top_k_experts: softmax, then a stable descending sort")


def route(logits: torch.Tensor, k: int, capacity_factor: float, normalize: bool = False
          ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Top-k routing with a fixed buffer of expert_capacity(...) slots per expert.

    experts, gates = top_k_experts(logits, k); with normalize (Mixtral) the k gates of each token are
    divided by their sum, before any dropping. Then the buffers are filled choice rank first, then
    token order: all first choices of tokens 0, 1, ..., then all second choices, ... A choice whose
    expert still has room gets the next free slot (0, 1, ...); otherwise the token is dropped for that
    expert: slot -1 and gate 0 (the token skips the expert; the residual carries it). logits is not
    modified.

    Shapes:
        logits: (n_tokens, n_experts)
        returns experts (n_tokens, k) int64, gates (n_tokens, k) in logits' dtype, slots (n_tokens, k) int64

    Raises:
        ValueError: as expert_capacity.
    """
    raise NotImplementedError("route: choose, then fill the buffers and drop the overflow")


def load_balancing_loss(logits: torch.Tensor, k: int) -> torch.Tensor:
    """The Switch Transformer's auxiliary loss, generalised to k experts per token as Mixtral does:
    E * sum_e f_e * P_e, with f_e = (number of the n_tokens * k top-k choices that picked e) / n_tokens
    (before any dropping) and P_e = the mean over tokens of softmax(logits)[:, e]. Returned as a 0-d
    tensor in logits' dtype. logits is not modified.

    Raises:
        ValueError: if k is not in [1, n_experts].
    """
    raise NotImplementedError("load_balancing_loss")
