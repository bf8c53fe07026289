"""Plausible wrong versions of the DPO functions that the tests must reject."""
from __future__ import annotations

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall


def _check(beta: float, *ts: torch.Tensor) -> None:
    if beta <= 0 or ts[0].ndim != 1 or any(t.shape != ts[0].shape for t in ts):
        raise ValueError("bad input")


@pitfall(replaces="dpo_loss", why="log(sigmoid(z)): sigmoid underflows to 0 at a large negative margin and the loss is inf")
def log_of_sigmoid(policy_chosen: torch.Tensor, policy_rejected: torch.Tensor, ref_chosen: torch.Tensor,
                   ref_rejected: torch.Tensor, beta: float = 0.1) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    _check(beta, policy_chosen, policy_rejected, ref_chosen, ref_rejected)
    c, r = policy_chosen - ref_chosen, policy_rejected - ref_rejected
    loss = -torch.log(torch.sigmoid(beta * (c - r))).mean()
    return loss, beta * c.detach(), beta * r.detach()


@pitfall(replaces="dpo_loss", why="drops the reference model: beta * (pi_c - pi_r), which is not KL-anchored")
def no_reference(policy_chosen: torch.Tensor, policy_rejected: torch.Tensor, ref_chosen: torch.Tensor,
                 ref_rejected: torch.Tensor, beta: float = 0.1) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    _check(beta, policy_chosen, policy_rejected, ref_chosen, ref_rejected)
    loss = -F.logsigmoid(beta * (policy_chosen - policy_rejected)).mean()
    return loss, beta * (policy_chosen - ref_chosen).detach(), beta * (policy_rejected - ref_rejected).detach()


@pitfall(replaces="dpo_loss", why="beta scales the loss instead of the margin inside the sigmoid")
def beta_outside(policy_chosen: torch.Tensor, policy_rejected: torch.Tensor, ref_chosen: torch.Tensor,
                 ref_rejected: torch.Tensor, beta: float = 0.1) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    _check(beta, policy_chosen, policy_rejected, ref_chosen, ref_rejected)
    c, r = policy_chosen - ref_chosen, policy_rejected - ref_rejected
    return -beta * F.logsigmoid(c - r).mean(), beta * c.detach(), beta * r.detach()


@pitfall(replaces="dpo_loss", why="chosen and rejected swapped: the policy learns to prefer the rejected answer")
def swapped(policy_chosen: torch.Tensor, policy_rejected: torch.Tensor, ref_chosen: torch.Tensor,
            ref_rejected: torch.Tensor, beta: float = 0.1) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    _check(beta, policy_chosen, policy_rejected, ref_chosen, ref_rejected)
    c, r = policy_chosen - ref_chosen, policy_rejected - ref_rejected
    return -F.logsigmoid(beta * (r - c)).mean(), beta * c.detach(), beta * r.detach()


@pitfall(replaces="dpo_loss", why="returns the rewards without detaching them: logging them keeps the graph alive")
def rewards_attached(policy_chosen: torch.Tensor, policy_rejected: torch.Tensor, ref_chosen: torch.Tensor,
                     ref_rejected: torch.Tensor, beta: float = 0.1) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    _check(beta, policy_chosen, policy_rejected, ref_chosen, ref_rejected)
    c, r = policy_chosen - ref_chosen, policy_rejected - ref_rejected
    return -F.logsigmoid(beta * (c - r)).mean(), beta * c, beta * r


@pitfall(replaces="dpo_loss", why="sums over the batch instead of averaging: the step size grows with the batch")
def summed(policy_chosen: torch.Tensor, policy_rejected: torch.Tensor, ref_chosen: torch.Tensor,
           ref_rejected: torch.Tensor, beta: float = 0.1) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    _check(beta, policy_chosen, policy_rejected, ref_chosen, ref_rejected)
    c, r = policy_chosen - ref_chosen, policy_rejected - ref_rejected
    return -F.logsigmoid(beta * (c - r)).sum(), beta * c.detach(), beta * r.detach()


@pitfall(replaces="sequence_logprobs", why="averages over response tokens instead of summing (length-normalised)")
def mean_over_tokens(logits: torch.Tensor, labels: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    if logits.ndim != 3 or labels.shape != logits.shape[:2] or mask.shape != labels.shape:
        raise ValueError("bad shapes")
    picked = torch.log_softmax(logits, -1).gather(-1, labels.unsqueeze(-1)).squeeze(-1)
    m = mask.to(picked.dtype)
    return (picked * m).sum(-1) / m.sum(-1).clamp(min=1)


@pitfall(replaces="sequence_logprobs", why="ignores the mask: the prompt and padding tokens are scored too")
def unmasked(logits: torch.Tensor, labels: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    if logits.ndim != 3 or labels.shape != logits.shape[:2] or mask.shape != labels.shape:
        raise ValueError("bad shapes")
    return torch.log_softmax(logits, -1).gather(-1, labels.unsqueeze(-1)).squeeze(-1).sum(-1)


@pitfall(replaces="sequence_logprobs", why="picks raw logits instead of log-softmax: not a log-probability")
def raw_logits(logits: torch.Tensor, labels: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    if logits.ndim != 3 or labels.shape != logits.shape[:2] or mask.shape != labels.shape:
        raise ValueError("bad shapes")
    return (logits.gather(-1, labels.unsqueeze(-1)).squeeze(-1) * mask.to(logits.dtype)).sum(-1)
