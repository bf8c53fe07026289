"""nlp-35-3: HotFlip gradient attacks on characters. Edit this file; `grader check nlp-35-3` tests it."""
from __future__ import annotations

import torch
import torch.nn.functional as F

from grader import lm


def target_loss(model: lm.CharGPT, emb: torch.Tensor, position: int, target: int) -> torch.Tensor:
    """-log p(target at position) for token embeddings `emb` (N, T, d_model) -> (N,). Differentiable."""
    positions = torch.arange(emb.shape[1])
    x = emb
    for block in model.blocks:
        x = block(x, positions)
    return -F.log_softmax(model.head(model.ln_f(x))[:, position], dim=-1)[:, target]


def hotflip_scores(model: lm.CharGPT, idx: torch.Tensor, position: int, target: int) -> torch.Tensor:
    """First-order estimate of the loss change when character t is replaced by character v.

    scores[t, v] = (E[v] - E[idx[t]]) · ∂ target_loss / ∂ x_t, with E = model.embed.weight and the
    gradient taken at x = model.embed(idx). scores[t, idx[t]] = 0.

    Shapes:
        idx: (T,) int64
        returns: (T, vocab_size) in the model's dtype
    """
    raise NotImplementedError("hotflip_scores: (E[v] - E[idx[t]]) · gradient at x_t")


def hotflip_attack(model: lm.CharGPT, idx: torch.Tensor, target: int, budget: int) -> tuple[torch.Tensor, int]:
    """Greedy HotFlip on the prediction after the LAST character: flip characters until the model no
    longer predicts `target` there.

    Each round: if argmax of the model's logits at position T-1 is not `target`, stop. Otherwise
    compute `hotflip_scores(model, ids, T - 1, target)` on the current ids, allow only positions that
    have not been flipped yet, and apply the single flip (t, v) with the largest score (the first in
    row-major order on a tie). At most `budget` flips. `idx` is not modified.

    Shapes:
        idx: (T,) int64
        returns: (the attacked ids (T,) int64, the number of flips made)

    Raises:
        ValueError: if budget < 0 or budget > T (each position can be flipped once).
    """
    raise NotImplementedError("hotflip_attack: greedy best flip per round until the prediction changes")
