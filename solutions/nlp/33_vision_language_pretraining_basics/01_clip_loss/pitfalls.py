"""Plausible wrong versions of the CLIP functions that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from clip import clip_logits


def _check(image_emb: torch.Tensor, text_emb: torch.Tensor) -> None:
    if image_emb.ndim != 2 or text_emb.ndim != 2 or image_emb.shape[1] != text_emb.shape[1]:
        raise ValueError("bad shapes")


@pitfall(replaces="clip_logits", why="no L2 normalisation: raw dot products, not cosine similarities")
def unnormalised(image_emb: torch.Tensor, text_emb: torch.Tensor, logit_scale: torch.Tensor) -> torch.Tensor:
    _check(image_emb, text_emb)
    return logit_scale.exp() * image_emb @ text_emb.T


@pitfall(replaces="clip_logits", why="normalises over the batch (dim=0) instead of over the features")
def normalised_over_batch(image_emb: torch.Tensor, text_emb: torch.Tensor, logit_scale: torch.Tensor) -> torch.Tensor:
    _check(image_emb, text_emb)
    img = image_emb / image_emb.norm(dim=0, keepdim=True)
    txt = text_emb / text_emb.norm(dim=0, keepdim=True)
    return logit_scale.exp() * img @ txt.T


@pitfall(replaces="clip_logits", why="multiplies by logit_scale itself, forgetting it is a log")
def scale_not_exponentiated(image_emb: torch.Tensor, text_emb: torch.Tensor, logit_scale: torch.Tensor) -> torch.Tensor:
    _check(image_emb, text_emb)
    img = image_emb / image_emb.norm(dim=-1, keepdim=True)
    txt = text_emb / text_emb.norm(dim=-1, keepdim=True)
    return logit_scale * img @ txt.T


@pitfall(replaces="clip_logits", why="logit_scale.exp().item(): a Python float, so the temperature never learns")
def scale_as_float(image_emb: torch.Tensor, text_emb: torch.Tensor, logit_scale: torch.Tensor) -> torch.Tensor:
    _check(image_emb, text_emb)
    img = image_emb / image_emb.norm(dim=-1, keepdim=True)
    txt = text_emb / text_emb.norm(dim=-1, keepdim=True)
    return logit_scale.exp().item() * img @ txt.T


@pitfall(replaces="clip_loss", why="one direction only: image -> text cross-entropy, no text -> image term")
def one_direction(image_emb: torch.Tensor, text_emb: torch.Tensor, logit_scale: torch.Tensor) -> torch.Tensor:
    if image_emb.shape[0] != text_emb.shape[0]:
        raise ValueError("batch sizes differ")
    logits = clip_logits(image_emb, text_emb, logit_scale)
    return F.cross_entropy(logits, torch.arange(len(logits)))


@pitfall(replaces="clip_loss", why="sums the two directions instead of averaging them")
def summed_directions(image_emb: torch.Tensor, text_emb: torch.Tensor, logit_scale: torch.Tensor) -> torch.Tensor:
    if image_emb.shape[0] != text_emb.shape[0]:
        raise ValueError("batch sizes differ")
    logits = clip_logits(image_emb, text_emb, logit_scale)
    labels = torch.arange(len(logits))
    return F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)


@pitfall(replaces="clip_loss", why="binary cross-entropy on each pair independently (sigmoid, not a softmax over the batch)")
def pairwise_sigmoid(image_emb: torch.Tensor, text_emb: torch.Tensor, logit_scale: torch.Tensor) -> torch.Tensor:
    if image_emb.shape[0] != text_emb.shape[0]:
        raise ValueError("batch sizes differ")
    logits = clip_logits(image_emb, text_emb, logit_scale)
    return F.binary_cross_entropy_with_logits(logits, torch.eye(len(logits), dtype=logits.dtype))
