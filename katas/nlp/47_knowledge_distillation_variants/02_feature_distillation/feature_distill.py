"""nlp-47-2: feature-based distillation. Edit this file; `grader check nlp-47-2` tests it."""
from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401  (you will need it)
from torch import nn

from grader import lm


def small_student(seed: int, n_layer: int = 2, d_model: int = 32) -> lm.CharGPT:
    """Given: a fresh grader.lm.CharGPT student initialised from `seed` (the global RNG is left alone)."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return lm.CharGPT(lm.LMConfig(n_layer=n_layer, d_model=d_model, d_ff=2 * d_model, n_head=2))


def layer_map(n_student: int, n_teacher: int) -> list[tuple[int, int]]:
    """Which teacher block each student block imitates: student block i <-> teacher block
    (i + 1) * n_teacher // n_student - 1 (evenly spaced, the last student block to the last teacher block).

    Raises:
        ValueError: if n_student < 1 or n_student > n_teacher.
    """
    raise NotImplementedError("layer_map")


def hidden_states(model: lm.CharGPT, idx: torch.Tensor, layers: list[int]) -> list[torch.Tensor]:
    """The residual stream after each block in `layers` (model.blocks[i]'s output), in the order of
    `layers`, for one forward pass of model(idx). Gradients flow through them (not detached); any hook
    you add is removed before returning.

    Shapes:
        idx: (B, T) int64; returns: one (B, T, d_model) tensor per entry of layers
    """
    raise NotImplementedError("hidden_states: forward hooks on model.blocks")


def feature_loss(student_h: list[torch.Tensor], teacher_h: list[torch.Tensor], projections: nn.ModuleList) -> torch.Tensor:
    """FitNets hint loss: the mean over pairs k of F.mse_loss(projections[k](student_h[k]), teacher_h[k]).
    No gradient reaches teacher_h.

    Raises:
        ValueError: if the three lists differ in length or are empty.
    """
    raise NotImplementedError("feature_loss")


def feature_distill(student: lm.CharGPT, teacher: lm.CharGPT, projections: nn.ModuleList, windows: torch.Tensor,
                    steps: int, beta: float = 1.0, lr: float = 1e-2, batch_size: int = 16,
                    seed: int = 0) -> list[tuple[float, float]]:
    """Train student and projections in place: cross-entropy on the next character + beta * feature loss.

    pairs = layer_map(len(student.blocks), len(teacher.blocks)); AdamW over the student's then the
    projections' parameters (lr=lr, weight_decay=0.0); g = torch.Generator().manual_seed(seed); each
    step: batch = windows[torch.randint(N, (batch_size,), generator=g)], x = batch[:, :-1];
    the teacher's hidden states at the paired teacher layers under torch.no_grad(); the student's
    hidden states at the paired student layers AND its logits from the same forward pass; loss =
    F.cross_entropy(logits, batch[:, 1:]) + beta * feature_loss(...); zero_grad, backward, step.
    The teacher is not changed.

    Shapes:
        windows: (N, T + 1) int64 character ids

    Returns:
        (cross-entropy, feature loss) of every step, as floats
    """
    raise NotImplementedError("feature_distill")
