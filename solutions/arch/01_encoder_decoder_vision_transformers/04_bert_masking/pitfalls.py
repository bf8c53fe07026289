"""Plausible wrong BERT masking and masked-LM losses that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from bert_masking import IGNORE


def _mask(tokens: torch.Tensor, special_mask: torch.Tensor, vocab_size: int, mask_id: int, mask_prob: float,
          g: torch.Generator, *, skip_special: bool = True, split: tuple[float, float] = (0.8, 0.9),
          label_all: bool = False, vocab_low: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    if not 0.0 <= mask_prob <= 1.0:
        raise ValueError("bad mask_prob")
    selected = torch.rand(tokens.shape, generator=g) < mask_prob
    if skip_special:
        selected &= ~special_mask
    labels = tokens.clone() if label_all else torch.where(selected, tokens, torch.full_like(tokens, IGNORE))
    u = torch.rand(tokens.shape, generator=g)
    to_mask = selected & (u < split[0])
    to_random = selected & (u >= split[0]) & (u < split[1])
    random_tokens = torch.randint(vocab_low, vocab_size, tokens.shape, generator=g)
    inputs = tokens.clone()
    inputs[to_mask] = mask_id
    inputs[to_random] = random_tokens[to_random]
    return inputs, labels


@pitfall(replaces="bert_mask", why="masks every selected position: no 10 % random, no 10 % unchanged")
def all_masked(tokens: torch.Tensor, special_mask: torch.Tensor, vocab_size: int, mask_id: int,
               mask_prob: float = 0.15, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    return _mask(tokens, special_mask, vocab_size, mask_id, mask_prob, torch.Generator().manual_seed(seed),
                 split=(1.0, 1.0))


@pitfall(replaces="bert_mask", why="80/20/0: the 'keep' share also gets a random token")
def no_unchanged_share(tokens: torch.Tensor, special_mask: torch.Tensor, vocab_size: int, mask_id: int,
                       mask_prob: float = 0.15, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    return _mask(tokens, special_mask, vocab_size, mask_id, mask_prob, torch.Generator().manual_seed(seed),
                 split=(0.8, 1.0))


@pitfall(replaces="bert_mask", why="can select [CLS], [SEP] and padding")
def selects_special(tokens: torch.Tensor, special_mask: torch.Tensor, vocab_size: int, mask_id: int,
                    mask_prob: float = 0.15, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    return _mask(tokens, special_mask, vocab_size, mask_id, mask_prob, torch.Generator().manual_seed(seed),
                 skip_special=False)


@pitfall(replaces="bert_mask", why="labels every position, so the loss also counts the visible tokens")
def labels_everywhere(tokens: torch.Tensor, special_mask: torch.Tensor, vocab_size: int, mask_id: int,
                      mask_prob: float = 0.15, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    return _mask(tokens, special_mask, vocab_size, mask_id, mask_prob, torch.Generator().manual_seed(seed),
                 label_all=True)


@pitfall(replaces="bert_mask", why="random replacements skip the low (special) ids: not uniform over the vocabulary")
def random_skips_low_ids(tokens: torch.Tensor, special_mask: torch.Tensor, vocab_size: int, mask_id: int,
                         mask_prob: float = 0.15, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    return _mask(tokens, special_mask, vocab_size, mask_id, mask_prob, torch.Generator().manual_seed(seed),
                 vocab_low=5)


@pitfall(replaces="bert_mask", why="masks the caller's tensor in place")
def in_place(tokens: torch.Tensor, special_mask: torch.Tensor, vocab_size: int, mask_id: int,
             mask_prob: float = 0.15, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    inputs, labels = _mask(tokens, special_mask, vocab_size, mask_id, mask_prob, torch.Generator().manual_seed(seed))
    tokens.copy_(inputs)
    return tokens, labels


@pitfall(replaces="bert_mask", why="draws from torch's global generator")
def global_rng(tokens: torch.Tensor, special_mask: torch.Tensor, vocab_size: int, mask_id: int,
               mask_prob: float = 0.15, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    return _mask(tokens, special_mask, vocab_size, mask_id, mask_prob, torch.default_generator)


@pitfall(replaces="masked_lm_loss", why="averages over every position (ignored ones count as zero loss)")
def mean_over_all_positions(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    keep = labels != IGNORE
    if not bool(keep.any()):
        raise ValueError("no labels")
    losses = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=IGNORE,
                             reduction="none")
    return losses.mean()


@pitfall(replaces="masked_lm_loss", why="sums instead of averaging over the labelled positions")
def summed(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    keep = labels != IGNORE
    if not bool(keep.any()):
        raise ValueError("no labels")
    return F.cross_entropy(logits[keep], labels[keep], reduction="sum")
