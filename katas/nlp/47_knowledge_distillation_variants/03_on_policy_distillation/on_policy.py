"""nlp-47-3: on-policy distillation. Edit this file; `grader check nlp-47-3` tests it."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from grader import lm


def small_student(seed: int, n_layer: int = 1, d_model: int = 32) -> lm.CharGPT:
    """Given: a fresh grader.lm.CharGPT student initialised from `seed` (the global RNG is left alone)."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return lm.CharGPT(lm.LMConfig(n_layer=n_layer, d_model=d_model, d_ff=2 * d_model, n_head=2))


def teacher_nll(teacher: nn.Module, sequences: torch.Tensor, prompt_len: int) -> float:
    """Given: the teacher's mean negative log-likelihood (nats) of the generated tokens
    sequences[:, prompt_len:], each predicted from everything before it."""
    with torch.no_grad():
        logits = teacher(sequences[:, :-1])[:, prompt_len - 1:]
        return F.cross_entropy(logits.flatten(0, 1).double(), sequences[:, prompt_len:].flatten()).item()


@torch.no_grad()
def sample(model: nn.Module, prompts: torch.Tensor, n_new: int, temperature: float, gen: torch.Generator) -> torch.Tensor:
    """Extend every prompt by n_new tokens sampled from the model, one at a time.

    At each step: logits of the last position of model(seq) divided by temperature, softmax, one
    draw per row with torch.multinomial(probs, 1, generator=gen); append. The model sees the whole
    sequence so far (keep prompt_len + n_new within its context). Returns a new tensor.

    Shapes:
        prompts: (B, P) int64; returns: (B, P + n_new) int64, starting with the prompts

    Raises:
        ValueError: if temperature <= 0 or n_new < 0.
    """
    raise NotImplementedError("sample")


def on_policy_loss(student: nn.Module, teacher: nn.Module, sequences: torch.Tensor, prompt_len: int) -> torch.Tensor:
    """Forward KL(teacher || student) of the next-token distributions at the positions that predict
    the generated tokens sequences[:, prompt_len:], summed over the vocabulary and averaged over
    those positions. Gradients reach the student only.

    Shapes:
        sequences: (B, L) int64 with L > prompt_len >= 1; returns: a scalar
    """
    raise NotImplementedError("on_policy_loss")


def on_policy_distill(student: nn.Module, teacher: nn.Module, prompts: torch.Tensor, steps: int, n_new: int,
                      temperature: float = 1.0, lr: float = 1e-2, seed: int = 0) -> list[float]:
    """Train the student on its own samples: AdamW(student.parameters(), lr=lr, weight_decay=0.0);
    gen = torch.Generator().manual_seed(seed); `steps` times: sequences = sample(student, prompts, n_new,
    temperature, gen); loss = on_policy_loss(student, teacher, sequences, prompts.shape[1]); zero_grad,
    backward, step. Returns the losses. The teacher is not changed."""
    raise NotImplementedError("on_policy_distill")
