"""arch-02-2: CTC loss. Edit this file; `grader check arch-02-2` tests it."""
from __future__ import annotations

import torch

REDUCTIONS = ("none", "sum", "mean")
NEVER = -1e30        # log-probability of an unreachable state


def extend_with_blanks(target: list[int], blank: int = 0) -> list[int]:
    """The CTC state sequence: a blank before, between and after the labels.

    [y1, y2, ..., yS] -> [blank, y1, blank, y2, ..., blank, yS, blank] (length 2S + 1).
    """
    raise NotImplementedError("extend_with_blanks")


def ctc_nll(log_probs: torch.Tensor, target: list[int], blank: int = 0) -> torch.Tensor:
    """-log p(target | x) summed over every alignment, by the CTC forward (alpha) recursion in log space.

    Over the extended sequence z = extend_with_blanks(target): start in z_0 or z_1 at t = 0; at each
    step stay, move to the next state, or skip one state when z_s is a label different from
    z_{s-2}; end in the last or second-to-last state. inf when no alignment fits in T frames.
    Differentiable with respect to log_probs, with finite gradients whenever the loss is finite
    (torch.logsumexp over entries that are all -inf has a NaN gradient: use NEVER for log 0, and
    return inf directly when T is shorter than the labels plus one blank per repeated pair).

    Shapes:
        log_probs: (T, C) log-softmax outputs of one utterance     returns: a scalar tensor
    """
    raise NotImplementedError("ctc_nll: the alpha recursion")


def ctc_loss(log_probs: torch.Tensor, targets: torch.Tensor, input_lengths: list[int], target_lengths: list[int],
             blank: int = 0, reduction: str = "mean") -> torch.Tensor:
    """Batched CTC loss with torch.nn.functional.ctc_loss's conventions.

    Utterance n uses log_probs[:input_lengths[n], n] and targets[n, :target_lengths[n]].
    reduction "none": the (N,) per-utterance losses; "sum": their sum; "mean": the mean over the
    batch of each loss divided by its target length (a length of 0 counts as 1). Inputs are left
    unchanged.

    Shapes:
        log_probs: (T, N, C)     targets: (N, S) int, padded     returns: (N,) or a scalar

    Raises:
        ValueError: for an unknown reduction, a blank outside 0 .. C-1, or a target containing the blank.
    """
    raise NotImplementedError("ctc_loss")
