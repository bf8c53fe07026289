"""Plausible wrong CTC implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ctc import NEVER, REDUCTIONS, ctc_nll, extend_with_blanks


def _forward(log_probs: torch.Tensor, target: list[int], blank: int, skip_rule: str = "ok",
             ends: int = 2, neg: float | None = None) -> torch.Tensor:
    neg = NEVER if neg is None else neg
    ext = extend_with_blanks(target, blank)
    s = len(ext)
    lp = log_probs[:, ext]
    never = torch.full((s,), neg, dtype=log_probs.dtype)
    alpha = torch.where(torch.arange(s) < 2, lp[0], never)
    if skip_rule == "ok":
        allowed = [i >= 2 and ext[i] != blank and ext[i] != ext[i - 2] for i in range(s)]
    elif skip_rule == "repeats_too":
        allowed = [i >= 2 and ext[i] != blank for i in range(s)]
    else:
        allowed = [False] * s
    can_skip = torch.tensor(allowed)
    for t in range(1, log_probs.shape[0]):
        padded = torch.cat([never[:1].expand(2), alpha])
        skip = torch.where(can_skip, padded[:-2], never)
        alpha = torch.logsumexp(torch.stack([padded[2:], padded[1:-1], skip]), dim=0) + lp[t]
    nll = -torch.logsumexp(alpha[-ends:], dim=0)
    return torch.where(nll > 1e29, torch.full_like(nll, float("inf")), nll)


@pitfall(replaces="extend_with_blanks", why="no trailing blank: [b, y1, b, ..., yS]")
def no_trailing_blank(target: list[int], blank: int = 0) -> list[int]:
    out = []
    for label in target:
        out += [blank, label]
    return out or [blank]


@pitfall(replaces="ctc_nll", why="never skips a blank: paths must visit the blank between different labels")
def no_skips(log_probs: torch.Tensor, target: list[int], blank: int = 0) -> torch.Tensor:
    return _forward(log_probs, target, blank, skip_rule="never")


@pitfall(replaces="ctc_nll", why="allows the skip between repeated labels too (a a would collapse to a)")
def skips_repeats(log_probs: torch.Tensor, target: list[int], blank: int = 0) -> torch.Tensor:
    return _forward(log_probs, target, blank, skip_rule="repeats_too")


@pitfall(replaces="ctc_nll", why="ends only in the final blank, not also in the last label")
def ends_in_blank_only(log_probs: torch.Tensor, target: list[int], blank: int = 0) -> torch.Tensor:
    return _forward(log_probs, target, blank, ends=1)


@pitfall(replaces="ctc_nll", why="log 0 as -inf: logsumexp over all -inf entries gives NaN gradients")
def minus_inf_log_zero(log_probs: torch.Tensor, target: list[int], blank: int = 0) -> torch.Tensor:
    return _forward(log_probs, target, blank, neg=float("-inf"))


@pitfall(replaces="ctc_loss", why="'mean' averages the raw losses without dividing by the target lengths")
def mean_without_length_norm(log_probs: torch.Tensor, targets: torch.Tensor, input_lengths: list[int],
                             target_lengths: list[int], blank: int = 0, reduction: str = "mean") -> torch.Tensor:
    if reduction not in REDUCTIONS or not 0 <= blank < log_probs.shape[2]:
        raise ValueError("bad arguments")
    losses = []
    for n in range(log_probs.shape[1]):
        target = targets[n, : target_lengths[n]].tolist()
        if blank in target:
            raise ValueError("blank in target")
        losses.append(ctc_nll(log_probs[: input_lengths[n], n], target, blank))
    loss = torch.stack(losses)
    return {"none": loss, "sum": loss.sum(), "mean": loss.mean()}[reduction]


@pitfall(replaces="ctc_loss", why="ignores input_lengths: every utterance uses all T frames")
def ignores_input_lengths(log_probs: torch.Tensor, targets: torch.Tensor, input_lengths: list[int],
                          target_lengths: list[int], blank: int = 0, reduction: str = "mean") -> torch.Tensor:
    if reduction not in REDUCTIONS or not 0 <= blank < log_probs.shape[2]:
        raise ValueError("bad arguments")
    losses = []
    for n in range(log_probs.shape[1]):
        target = targets[n, : target_lengths[n]].tolist()
        if blank in target:
            raise ValueError("blank in target")
        losses.append(ctc_nll(log_probs[:, n], target, blank))
    loss = torch.stack(losses)
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return (loss / torch.tensor(target_lengths, dtype=loss.dtype).clamp(min=1)).mean()
