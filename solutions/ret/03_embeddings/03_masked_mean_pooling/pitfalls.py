"""Plausible wrong pooling implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from pooling import masked_mean_pool


@pitfall(replaces="masked_mean_pool", why="zeros the padding but divides by the full length T")
def divide_by_length(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    if tuple(mask.shape) != tuple(hidden.shape[:2]):
        raise ValueError("shape")
    keep = mask.bool().unsqueeze(-1)
    return torch.where(keep, hidden, torch.zeros((), dtype=hidden.dtype)).mean(dim=1)


@pitfall(replaces="masked_mean_pool", why="multiplies by the mask: 0 * NaN (or inf) at a padded position is NaN")
def multiply_by_mask(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    if tuple(mask.shape) != tuple(hidden.shape[:2]):
        raise ValueError("shape")
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(dim=1) / m.sum(dim=1).clamp(min=1)


@pitfall(replaces="masked_mean_pool", why="no clamp on the count: a row with nothing kept is 0/0 = NaN")
def no_clamp(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    if tuple(mask.shape) != tuple(hidden.shape[:2]):
        raise ValueError("shape")
    keep = mask.bool().unsqueeze(-1)
    total = torch.where(keep, hidden, torch.zeros((), dtype=hidden.dtype)).sum(dim=1)
    return total / keep.sum(dim=1).to(hidden.dtype)


@pitfall(replaces="masked_mean_pool", why="divides by the number of kept tokens in the whole batch, not per row")
def batch_count(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    if tuple(mask.shape) != tuple(hidden.shape[:2]):
        raise ValueError("shape")
    keep = mask.bool().unsqueeze(-1)
    total = torch.where(keep, hidden, torch.zeros((), dtype=hidden.dtype)).sum(dim=1)
    return total / keep.sum().clamp(min=1).to(hidden.dtype)


@pitfall(replaces="masked_mean_pool", why="computes in float32 whatever the input dtype")
def always_float32(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    if tuple(mask.shape) != tuple(hidden.shape[:2]):
        raise ValueError("shape")
    keep = mask.bool().unsqueeze(-1)
    total = torch.where(keep, hidden.float(), torch.zeros(())).sum(dim=1)
    return total / keep.sum(dim=1).clamp(min=1).float()


@pitfall(replaces="embed_sentences", why="does not pass attention_mask to the model: real tokens attend to the padding")
def mask_only_in_pooling(model: nn.Module, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                         normalize: bool = False) -> torch.Tensor:
    if bool((attention_mask.sum(dim=1) == 0).any()):
        raise ValueError("empty row")
    with torch.no_grad():
        hidden = model(input_ids=input_ids).last_hidden_state
    pooled = masked_mean_pool(hidden, attention_mask)
    return F.normalize(pooled, dim=-1) if normalize else pooled


@pitfall(replaces="embed_sentences", why="takes the [CLS] (first) token state instead of the mean")
def cls_token(model: nn.Module, input_ids: torch.Tensor, attention_mask: torch.Tensor,
              normalize: bool = False) -> torch.Tensor:
    if bool((attention_mask.sum(dim=1) == 0).any()):
        raise ValueError("empty row")
    with torch.no_grad():
        pooled = model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state[:, 0]
    return F.normalize(pooled, dim=-1) if normalize else pooled


@pitfall(replaces="embed_sentences", why="uses BERT's pooler_output (tanh of a dense layer on [CLS])")
def pooler_output(model: nn.Module, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                  normalize: bool = False) -> torch.Tensor:
    if bool((attention_mask.sum(dim=1) == 0).any()):
        raise ValueError("empty row")
    with torch.no_grad():
        pooled = model(input_ids=input_ids, attention_mask=attention_mask).pooler_output
    return F.normalize(pooled, dim=-1) if normalize else pooled


@pitfall(replaces="embed_sentences", why="normalizes every token state, then averages: the mean is not unit length")
def normalize_tokens_first(model: nn.Module, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                           normalize: bool = False) -> torch.Tensor:
    if bool((attention_mask.sum(dim=1) == 0).any()):
        raise ValueError("empty row")
    with torch.no_grad():
        hidden = model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
    if normalize:
        hidden = F.normalize(hidden, dim=-1)
    return masked_mean_pool(hidden, attention_mask)


@pitfall(replaces="embed_sentences", why="forgets torch.no_grad(): the embeddings carry an autograd graph")
def keeps_graph(model: nn.Module, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                normalize: bool = False) -> torch.Tensor:
    if bool((attention_mask.sum(dim=1) == 0).any()):
        raise ValueError("empty row")
    hidden = model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
    pooled = masked_mean_pool(hidden, attention_mask)
    return F.normalize(pooled, dim=-1) if normalize else pooled
