"""Plausible wrong decoders and quirk metrics that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from samples import MASK_ID, attention_mask, generate_causal, sample_next


@pitfall(replaces="generate_causal", why="no attention mask during generation: earlier positions read later ones")
def causal_without_mask(model: nn.Module, prompt: torch.Tensor, n_new: int, temperature: float = 0.0,
                        generator: torch.Generator | None = None) -> torch.Tensor:
    tokens = prompt
    with torch.no_grad():
        for _ in range(n_new):
            nxt = sample_next(model(tokens)[:, -1], temperature, generator)
            tokens = torch.cat([tokens, nxt[:, None]], dim=-1)
    return tokens


@pitfall(replaces="generate_causal", why="predicts from the first position's logits instead of the last")
def causal_reads_first_position(model: nn.Module, prompt: torch.Tensor, n_new: int, temperature: float = 0.0,
                                generator: torch.Generator | None = None) -> torch.Tensor:
    tokens = prompt
    with torch.no_grad():
        for _ in range(n_new):
            logits = model(tokens, attention_mask("clm", tokens.shape[-1]))
            tokens = torch.cat([tokens, sample_next(logits[:, 0], temperature, generator)[:, None]], dim=-1)
    return tokens


@pitfall(replaces="generate_prefix", why="the prefix grows with the generated text (everything so far is bidirectional)")
def prefix_grows(model: nn.Module, prompt: torch.Tensor, n_new: int, temperature: float = 0.0,
                 generator: torch.Generator | None = None) -> torch.Tensor:
    tokens = prompt
    with torch.no_grad():
        for _ in range(n_new):
            logits = model(tokens, attention_mask("prefix", tokens.shape[-1], tokens.shape[-1]))
            tokens = torch.cat([tokens, sample_next(logits[:, -1], temperature, generator)[:, None]], dim=-1)
    return tokens


@pitfall(replaces="generate_prefix", why="generates with the causal mask: the prompt is never read bidirectionally")
def prefix_as_causal(model: nn.Module, prompt: torch.Tensor, n_new: int, temperature: float = 0.0,
                     generator: torch.Generator | None = None) -> torch.Tensor:
    return generate_causal(model, prompt, n_new, temperature, generator)


def _fill(model: nn.Module, prompt: torch.Tensor, n_new: int, order: str, mask_id: int, *, shift: int = 0,
          allow_mask: bool = False, by_logit: bool = False, objective: str = "mlm") -> torch.Tensor:
    if order not in ("left_to_right", "parallel", "confidence"):
        raise ValueError(order)
    b, t0 = prompt.shape
    tokens = torch.cat([prompt, torch.full((b, n_new), mask_id, dtype=prompt.dtype)], dim=-1)
    rows = torch.arange(b)
    for step in range(1 if order == "parallel" else n_new):
        logits = model(tokens, attention_mask(objective, t0 + n_new)).double()
        if not allow_mask:
            logits[..., mask_id] = float("-inf")
        if shift:
            logits = torch.cat([logits[:, :1], logits[:, :-1]], dim=1)   # position t reads the logits of t - 1
        best = logits.argmax(-1)
        if order == "parallel":
            tokens = torch.where(tokens == mask_id, best, tokens)
        elif order == "left_to_right":
            tokens[:, t0 + step] = best[:, t0 + step]
        else:
            score = logits.amax(-1) if by_logit else torch.softmax(logits, -1).amax(-1)
            pos = score.masked_fill(tokens != mask_id, -float("inf")).argmax(-1)
            tokens[rows, pos] = best[rows, pos]
    return tokens


@pitfall(replaces="generate_masked", why="reads the logits one position to the left (the causal LM's shift habit)")
def masked_shifted(model: nn.Module, prompt: torch.Tensor, n_new: int, order: str = "left_to_right",
                   mask_id: int = MASK_ID) -> torch.Tensor:
    return _fill(model, prompt, n_new, order, mask_id, shift=1)


@pitfall(replaces="generate_masked", why="lets the argmax pick the [MASK] token itself")
def masked_may_emit_mask(model: nn.Module, prompt: torch.Tensor, n_new: int, order: str = "left_to_right",
                         mask_id: int = MASK_ID) -> torch.Tensor:
    return _fill(model, prompt, n_new, order, mask_id, allow_mask=True)


@pitfall(replaces="generate_masked", why="ranks positions by their largest raw logit, not their largest probability")
def confidence_by_logit(model: nn.Module, prompt: torch.Tensor, n_new: int, order: str = "left_to_right",
                        mask_id: int = MASK_ID) -> torch.Tensor:
    return _fill(model, prompt, n_new, order, mask_id, by_logit=True)


@pitfall(replaces="generate_masked", why="decodes the masked LM with the causal mask")
def masked_with_causal_mask(model: nn.Module, prompt: torch.Tensor, n_new: int, order: str = "left_to_right",
                            mask_id: int = MASK_ID) -> torch.Tensor:
    return _fill(model, prompt, n_new, order, mask_id, objective="clm")


@pitfall(replaces="distinct_n", why="divides by the row length T instead of the number of n-grams T - n + 1")
def distinct_over_length(tokens: torch.Tensor, n: int) -> torch.Tensor:
    if n < 1 or tokens.shape[-1] < n:
        raise ValueError("n")
    grams = tokens.unfold(-1, n, 1)
    return torch.tensor([len({tuple(g.tolist()) for g in row}) / tokens.shape[-1] for row in grams],
                        dtype=torch.float64)


@pitfall(replaces="distinct_n", why="counts distinct n-grams over the whole batch, not per row")
def distinct_over_batch(tokens: torch.Tensor, n: int) -> torch.Tensor:
    if n < 1 or tokens.shape[-1] < n:
        raise ValueError("n")
    grams = tokens.unfold(-1, n, 1).reshape(-1, n)
    value = len({tuple(g.tolist()) for g in grams}) / len(grams)
    return torch.full((tokens.shape[0],), value, dtype=torch.float64)


@pitfall(replaces="adjacent_repeats", why="divides by T instead of the T - 1 neighbouring pairs")
def repeats_over_length(tokens: torch.Tensor) -> torch.Tensor:
    return (tokens[:, 1:] == tokens[:, :-1]).double().sum(-1) / tokens.shape[-1]


@pitfall(replaces="generate_masked", why="breaks confidence ties towards the rightmost position")
def ties_to_the_right(model: nn.Module, prompt: torch.Tensor, n_new: int, order: str = "left_to_right",
                      mask_id: int = MASK_ID) -> torch.Tensor:
    if order != "confidence":
        return _fill(model, prompt, n_new, order, mask_id)
    b, t0 = prompt.shape
    tokens = torch.cat([prompt, torch.full((b, n_new), mask_id, dtype=prompt.dtype)], dim=-1)
    rows = torch.arange(b)
    for _ in range(n_new):
        logits = model(tokens, attention_mask("mlm", t0 + n_new)).double()
        logits[..., mask_id] = float("-inf")
        top = torch.softmax(logits, -1).amax(-1).masked_fill(tokens != mask_id, -1.0)
        pos = top.shape[-1] - 1 - top.flip(-1).argmax(-1)
        tokens[rows, pos] = logits.argmax(-1)[rows, pos]
    return tokens


@pitfall(replaces="distinct_n", why="checks only n > T: n = 0 counts T + 1 empty n-grams instead of raising ValueError")
def no_lower_check(tokens: torch.Tensor, n: int) -> torch.Tensor:
    if tokens.shape[-1] < n:
        raise ValueError("n longer than the row")
    t = tokens.shape[-1]
    return torch.tensor([len({tuple(row[i:i + n]) for i in range(t - n + 1)}) / (t - n + 1)
                         for row in tokens.tolist()], dtype=torch.float64)


@pitfall(replaces="adjacent_repeats", why="(a == b).float().mean(): float32 rates, not float64")
def float32_repeats(tokens: torch.Tensor) -> torch.Tensor:
    return (tokens[:, 1:] == tokens[:, :-1]).float().mean(dim=-1)
