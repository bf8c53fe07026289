"""Reference solution for nlp-33-1."""
from __future__ import annotations

import torch
import torch.nn.functional as F


def clip_logits(image_emb: torch.Tensor, text_emb: torch.Tensor, logit_scale: torch.Tensor) -> torch.Tensor:
    if image_emb.ndim != 2 or text_emb.ndim != 2 or image_emb.shape[1] != text_emb.shape[1]:
        raise ValueError(f"need (B, D) embeddings of one width, got {tuple(image_emb.shape)} and {tuple(text_emb.shape)}")
    img = image_emb / image_emb.norm(dim=-1, keepdim=True)
    txt = text_emb / text_emb.norm(dim=-1, keepdim=True)
    return logit_scale.exp() * img @ txt.T


def clip_loss(image_emb: torch.Tensor, text_emb: torch.Tensor, logit_scale: torch.Tensor) -> torch.Tensor:
    if image_emb.shape[0] != text_emb.shape[0]:
        raise ValueError(f"need as many images as texts, got {tuple(image_emb.shape)} and {tuple(text_emb.shape)}")
    logits = clip_logits(image_emb, text_emb, logit_scale)
    labels = torch.arange(logits.shape[0])
    return (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2
