"""Plausible wrong multimodal pieces that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from multimodal import MultimodalIndex, clip_loss


@pitfall(replaces="clip_loss", why="only the image-to-text direction of the loss")
def one_direction(img_emb: torch.Tensor, txt_emb: torch.Tensor, temperature: float = 0.1) -> torch.Tensor:
    logits = F.normalize(img_emb, dim=-1) @ F.normalize(txt_emb, dim=-1).T / temperature
    return F.cross_entropy(logits, torch.arange(len(logits)))


@pitfall(replaces="clip_loss", why="forgets to normalize: raw dot products instead of cosines")
def unnormalized(img_emb: torch.Tensor, txt_emb: torch.Tensor, temperature: float = 0.1) -> torch.Tensor:
    logits = img_emb @ txt_emb.T / temperature
    y = torch.arange(len(logits))
    return (F.cross_entropy(logits, y) + F.cross_entropy(logits.T, y)) / 2


@pitfall(replaces="clip_loss", why="multiplies by the temperature instead of dividing")
def times_temperature(img_emb: torch.Tensor, txt_emb: torch.Tensor, temperature: float = 0.1) -> torch.Tensor:
    logits = F.normalize(img_emb, dim=-1) @ F.normalize(txt_emb, dim=-1).T * temperature
    y = torch.arange(len(logits))
    return (F.cross_entropy(logits, y) + F.cross_entropy(logits.T, y)) / 2


@pitfall(replaces="train_joint", why="draws W_txt before W_img from the generator")
def init_order(img_feats: torch.Tensor, txt_feats: torch.Tensor, dim: int = 16, steps: int = 60,
               lr: float = 0.05, temperature: float = 0.1, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    w_txt = (torch.randn(txt_feats.shape[1], dim, generator=g, dtype=torch.float64) * 0.05).requires_grad_()
    w_img = (torch.randn(img_feats.shape[1], dim, generator=g, dtype=torch.float64) * 0.05).requires_grad_()
    opt = torch.optim.Adam([w_img, w_txt], lr=lr)
    for _ in range(steps):
        loss = clip_loss(img_feats @ w_img, txt_feats @ w_txt, temperature)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return w_img.detach(), w_txt.detach()


@pitfall(replaces="train_joint", why="trains only the image projection; the text side stays random")
def frozen_text(img_feats: torch.Tensor, txt_feats: torch.Tensor, dim: int = 16, steps: int = 60,
                lr: float = 0.05, temperature: float = 0.1, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    w_img = (torch.randn(img_feats.shape[1], dim, generator=g, dtype=torch.float64) * 0.05).requires_grad_()
    w_txt = torch.randn(txt_feats.shape[1], dim, generator=g, dtype=torch.float64) * 0.05
    opt = torch.optim.Adam([w_img], lr=lr)
    for _ in range(steps):
        loss = clip_loss(img_feats @ w_img, txt_feats @ w_txt, temperature)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return w_img.detach(), w_txt


@pitfall(replaces="MultimodalIndex.add", why="stores raw vectors: scores are dot products, long vectors win")
def raw_vectors(self: MultimodalIndex, ids: list[str], vectors: torch.Tensor, modality: str) -> None:
    if modality not in ("image", "text") or len(ids) != len(vectors):
        raise ValueError("bad")
    self.ids += list(ids)
    self.modalities += [modality] * len(ids)
    self.vectors += list(vectors.double())


@pitfall(replaces="MultimodalIndex.search", why="ignores the modality filter: a caption can answer a request for images")
def no_filter(self: MultimodalIndex, query: torch.Tensor, k: int, modality: str | None = None) -> list[tuple[str, str, float]]:
    if k < 0 or modality not in (None, "image", "text"):
        raise ValueError("bad")
    if not self.ids:
        return []
    scores = torch.stack(self.vectors) @ F.normalize(query.double(), dim=-1)
    order = sorted(range(len(self.ids)), key=lambda j: -float(scores[j]))[:k]
    return [(self.ids[j], self.modalities[j], float(scores[j])) for j in order]
