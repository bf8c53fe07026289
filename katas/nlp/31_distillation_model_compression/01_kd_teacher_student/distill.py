"""nlp-31-1: distil a large teacher into a small student with a temperature-scaled KL. Edit this file; `grader check nlp-31-1` tests it."""
from __future__ import annotations

import torch
from torch import nn

from grader import lm


def small_student(seed: int, d_model: int = 32) -> lm.CharGPT:
    """Given: a fresh one-layer grader.lm.CharGPT initialised from `seed` (the global RNG is left alone)."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return lm.CharGPT(lm.LMConfig(n_layer=1, d_model=d_model, d_ff=2 * d_model, n_head=2))


def distillation_loss(student_logits: torch.Tensor, teacher_logits: torch.Tensor, targets: torch.Tensor,
                      temperature: float, alpha: float) -> torch.Tensor:
    """Hinton et al.'s knowledge-distillation loss.

        soft = T**2 * mean over positions of KL( softmax(teacher / T) || softmax(student / T) )
        hard = mean cross-entropy of the student against `targets`
        loss = alpha * soft + (1 - alpha) * hard

    Every leading dimension is a position (the KL is summed over the vocabulary and averaged over
    positions, like F.kl_div's "batchmean" on flattened logits). The T**2 keeps the soft term's
    gradients the same size whatever the temperature. No gradient flows into teacher_logits.

    Shapes:
        student_logits, teacher_logits: (..., V);  targets: (...) int64
        returns: a scalar tensor of the student logits' dtype

    Raises:
        ValueError: if temperature <= 0 or alpha is outside [0, 1].
    """
    raise NotImplementedError("distillation_loss: alpha * T^2 * KL(teacher_T || student_T) + (1 - alpha) * CE")


def distill(student: nn.Module, teacher: nn.Module, windows: torch.Tensor, steps: int, temperature: float = 2.0,
            alpha: float = 1.0, lr: float = 1e-2, batch_size: int = 16, seed: int = 0) -> list[float]:
    """Train `student` in place to imitate `teacher` on (N, T + 1) character windows.

    AdamW(student.parameters(), lr=lr, weight_decay=0.0); g = torch.Generator().manual_seed(seed);
    each step: batch = windows[torch.randint(N, (batch_size,), generator=g)]; x = batch[:, :-1];
    teacher logits teacher(x) under torch.no_grad(); loss = distillation_loss(student(x), those,
    batch[:, 1:], temperature, alpha); zero_grad, backward, step. The teacher is not changed.

    Returns:
        the loss of every step
    """
    raise NotImplementedError("distill: AdamW steps on seeded batches against the teacher's logits")
