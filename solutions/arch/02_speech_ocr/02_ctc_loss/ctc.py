"""Reference solution for arch-02-2."""
from __future__ import annotations

import torch

REDUCTIONS = ("none", "sum", "mean")
NEVER = -1e30        # log-probability of an unreachable state


def extend_with_blanks(target: list[int], blank: int = 0) -> list[int]:
    out = [blank]
    for label in target:
        out += [label, blank]
    return out


def ctc_nll(log_probs: torch.Tensor, target: list[int], blank: int = 0) -> torch.Tensor:
    # Each label takes a frame, and each pair of equal neighbours needs a blank frame between them.
    needed = len(target) + sum(a == b for a, b in zip(target, target[1:], strict=False))
    if log_probs.shape[0] < needed:
        return log_probs.new_tensor(float("inf"))
    ext = extend_with_blanks(target, blank)
    lp = log_probs[:, ext]                                   # (T, S): emission of each extended state
    # A finite stand-in for log 0: logsumexp over entries that are all -inf has a NaN gradient.
    never = lp.new_full((len(ext),), NEVER)
    alpha = torch.where(torch.arange(len(ext)) < 2, lp[0], never)   # start in the first blank or first label
    # Skip z_{s-2} -> z_s only onto a label that differs from the one two back (z_1's source is padding).
    can_skip = torch.tensor([z != blank and z != ext[i - 2] for i, z in enumerate(ext)])
    for t in range(1, log_probs.shape[0]):
        padded = torch.cat([log_probs.new_full((2,), NEVER), alpha])
        skip = torch.where(can_skip, padded[:-2], never)
        alpha = torch.logsumexp(torch.stack([padded[2:], padded[1:-1], skip]), dim=0) + lp[t]
    return -torch.logsumexp(alpha[-2:], dim=0)               # end in the last label or the last blank


def ctc_loss(log_probs: torch.Tensor, targets: torch.Tensor, input_lengths: list[int], target_lengths: list[int],
             blank: int = 0, reduction: str = "mean") -> torch.Tensor:
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {REDUCTIONS}, got {reduction!r}")
    if not 0 <= blank < log_probs.shape[2]:
        raise ValueError("blank is not a class index")
    losses = []
    for n in range(log_probs.shape[1]):
        target = targets[n, : target_lengths[n]].tolist()
        if blank in target:
            raise ValueError("a target contains the blank label")
        losses.append(ctc_nll(log_probs[: input_lengths[n], n], target, blank))
    loss = torch.stack(losses)
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    lengths = torch.tensor(target_lengths).clamp(min=1)
    return (loss / lengths).mean()
