"""Plausible wrong objectives that the tests must reject."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from objectives import (
        MASK_ID,
        OBJECTIVES,
        WORDS,
        attention_mask,
        make_example,
        masked_cross_entropy,
        mlm_corrupt,
    )


def _checked(objective: str, seq_len: int, prefix_len: int) -> None:
    if objective not in OBJECTIVES or not 0 <= prefix_len <= seq_len:
        raise ValueError("bad arguments")


@pitfall(replaces="attention_mask", why="prefix block one too large: the first generated token sees the next one")
def prefix_block_off_by_one(objective: str, seq_len: int, prefix_len: int = 0) -> torch.Tensor:
    _checked(objective, seq_len, prefix_len)
    if objective == "mlm":
        return torch.ones(seq_len, seq_len, dtype=torch.bool)
    mask = torch.ones(seq_len, seq_len, dtype=torch.bool).tril()
    if objective == "prefix":
        mask[:prefix_len + 1, :prefix_len + 1] = True
    return mask


@pitfall(replaces="attention_mask", why="triu instead of tril: every position reads the future")
def transposed_causal(objective: str, seq_len: int, prefix_len: int = 0) -> torch.Tensor:
    _checked(objective, seq_len, prefix_len)
    if objective == "mlm":
        return torch.ones(seq_len, seq_len, dtype=torch.bool)
    mask = torch.ones(seq_len, seq_len, dtype=torch.bool).triu()
    if objective == "prefix":
        mask[:prefix_len, :prefix_len] = True
    return mask


@pitfall(replaces="attention_mask", why="prefix LM where the prefix is only causal too (that is just a causal LM)")
def prefix_not_bidirectional(objective: str, seq_len: int, prefix_len: int = 0) -> torch.Tensor:
    _checked(objective, seq_len, prefix_len)
    if objective == "mlm":
        return torch.ones(seq_len, seq_len, dtype=torch.bool)
    return torch.ones(seq_len, seq_len, dtype=torch.bool).tril()


@pitfall(replaces="mlm_corrupt", why="every selected token becomes [MASK] (no 10% random, no 10% kept)")
def always_mask(idx: torch.Tensor, mask_prob: float, mask_id: int, vocab_size: int,
                generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    selected = torch.rand(idx.shape, generator=generator) < mask_prob
    return idx.masked_fill(selected, mask_id), selected


@pitfall(replaces="mlm_corrupt", why="writes the corruption into idx in place, so the targets are corrupted too")
def corrupts_in_place(idx: torch.Tensor, mask_prob: float, mask_id: int, vocab_size: int,
                      generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    selected = torch.rand(idx.shape, generator=generator) < mask_prob
    action = torch.rand(idx.shape, generator=generator)
    random_tokens = torch.randint(vocab_size, idx.shape, generator=generator)
    idx[selected & (action < 0.8)] = mask_id
    swap = selected & (action >= 0.8) & (action < 0.9)
    idx[swap] = random_tokens[swap]
    return idx, selected


@pitfall(replaces="mlm_corrupt", why="applies the 80/10/10 draw to every token, not just the selected ones")
def corrupts_unselected(idx: torch.Tensor, mask_prob: float, mask_id: int, vocab_size: int,
                        generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    selected = torch.rand(idx.shape, generator=generator) < mask_prob
    action = torch.rand(idx.shape, generator=generator)
    random_tokens = torch.randint(vocab_size, idx.shape, generator=generator)
    inputs = torch.where(selected & (action < 0.8), torch.full_like(idx, mask_id), idx)
    return torch.where((action >= 0.8) & (action < 0.9), random_tokens, inputs), selected


@pitfall(replaces="make_example", why="prefix LM scores from position prefix_len: the first target token is never learned")
def prefix_loss_off_by_one(objective: str, idx: torch.Tensor, prefix_len: int = 0, mask_prob: float = 0.15,
                           mask_id: int = MASK_ID, vocab_size: int = len(WORDS),
                           generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    if objective == "mlm":
        inputs, selected = mlm_corrupt(idx, mask_prob, mask_id, vocab_size, generator)
        return inputs, idx.clone(), selected
    seq_len = idx.shape[-1]
    scored = torch.arange(seq_len) < seq_len - 1
    if objective == "prefix":
        scored &= torch.arange(seq_len) >= prefix_len
    return idx, idx.roll(-1, dims=-1), scored.expand(idx.shape).clone()


@pitfall(replaces="make_example", why="MLM targets shifted by one like a causal LM")
def mlm_shifted_targets(objective: str, idx: torch.Tensor, prefix_len: int = 0, mask_prob: float = 0.15,
                        mask_id: int = MASK_ID, vocab_size: int = len(WORDS),
                        generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    if objective == "mlm":
        inputs, selected = mlm_corrupt(idx, mask_prob, mask_id, vocab_size, generator)
        return inputs, idx.roll(-1, dims=-1), selected
    seq_len = idx.shape[-1]
    scored = torch.arange(seq_len) < seq_len - 1
    if objective == "prefix":
        scored &= torch.arange(seq_len) >= prefix_len - 1
    return idx, idx.roll(-1, dims=-1), scored.expand(idx.shape).clone()


@pitfall(replaces="make_example", why="causal targets not shifted: position t is scored on the token it already sees")
def clm_no_shift(objective: str, idx: torch.Tensor, prefix_len: int = 0, mask_prob: float = 0.15,
                 mask_id: int = MASK_ID, vocab_size: int = len(WORDS),
                 generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    if objective == "mlm":
        inputs, selected = mlm_corrupt(idx, mask_prob, mask_id, vocab_size, generator)
        return inputs, idx.clone(), selected
    seq_len = idx.shape[-1]
    scored = torch.arange(seq_len) < seq_len - 1
    if objective == "prefix":
        scored &= torch.arange(seq_len) >= prefix_len - 1
    return idx, idx.clone(), scored.expand(idx.shape).clone()


@pitfall(replaces="masked_cross_entropy", why="zeroes the unscored losses, then averages over all B*T positions")
def mean_over_all_positions(logits: torch.Tensor, targets: torch.Tensor, loss_mask: torch.Tensor) -> torch.Tensor:
    per_token = F.cross_entropy(logits.transpose(1, 2), targets, reduction="none")
    return (per_token * loss_mask).mean()


@pitfall(replaces="train_objective", why="always trains with the causal mask, whatever the objective")
def always_causal(model: nn.Module, objective: str, batches: Iterable[torch.Tensor], lr: float, prefix_len: int = 0,
                  mask_prob: float = 0.15, vocab_size: int = len(WORDS),
                  generator: torch.Generator | None = None) -> list[float]:
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    losses = []
    for batch in batches:
        inputs, targets, loss_mask = make_example(objective, batch, prefix_len, mask_prob, MASK_ID, vocab_size,
                                                  generator)
        loss = masked_cross_entropy(model(inputs, attention_mask("clm", batch.shape[-1])), targets, loss_mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


@pitfall(replaces="train_objective", why="never calls zero_grad: gradients pile up across steps")
def no_zero_grad(model: nn.Module, objective: str, batches: Iterable[torch.Tensor], lr: float, prefix_len: int = 0,
                 mask_prob: float = 0.15, vocab_size: int = len(WORDS),
                 generator: torch.Generator | None = None) -> list[float]:
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    losses = []
    for batch in batches:
        inputs, targets, loss_mask = make_example(objective, batch, prefix_len, mask_prob, MASK_ID, vocab_size,
                                                  generator)
        loss = masked_cross_entropy(model(inputs, attention_mask(objective, batch.shape[-1], prefix_len)),
                                    targets, loss_mask)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


@pitfall(replaces="train_objective", why="calls make_example without mask_prob and generator: the defaults and the global RNG win")
def drops_mlm_options(model: nn.Module, objective: str, batches: Iterable[torch.Tensor], lr: float,
                      prefix_len: int = 0, mask_prob: float = 0.15, vocab_size: int = len(WORDS),
                      generator: torch.Generator | None = None) -> list[float]:
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    model.train()
    losses = []
    for batch in batches:
        inputs, targets, loss_mask = make_example(objective, batch, prefix_len, vocab_size=vocab_size)
        logits = model(inputs, attention_mask(objective, batch.shape[-1], prefix_len))
        loss = masked_cross_entropy(logits, targets, loss_mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses
