"""Plausible wrong versions of the ViT and of attention rollout that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from vit_rollout import Block, TinyViT


def _fuse(attentions: torch.Tensor, head_fusion: str) -> torch.Tensor:
    if attentions.ndim != 5 or attentions.shape[-1] != attentions.shape[-2]:
        raise ValueError("bad shape")
    if head_fusion not in ("mean", "max", "min"):
        raise ValueError("bad fusion")
    return {"mean": attentions.mean(2), "max": attentions.amax(2), "min": attentions.amin(2)}[head_fusion]


@pitfall(replaces="attention_rollout", why="multiplies the layers in the wrong order (R = Â_1 ... Â_L)")
def reversed_order(attentions: torch.Tensor, head_fusion: str = "mean", add_residual: bool = True) -> torch.Tensor:
    fused = _fuse(attentions, head_fusion)
    n = fused.shape[-1]
    if add_residual:
        fused = fused + torch.eye(n, dtype=fused.dtype)
    fused = fused / fused.sum(-1, keepdim=True)
    rollout = torch.eye(n, dtype=fused.dtype).expand(fused.shape[1], n, n)
    for layer in fused:
        rollout = rollout @ layer
    return rollout


@pitfall(replaces="attention_rollout", why="halves A + I instead of renormalising each row (right only when rows sum to 1)")
def halves_instead_of_renormalising(attentions: torch.Tensor, head_fusion: str = "mean",
                                    add_residual: bool = True) -> torch.Tensor:
    fused = _fuse(attentions, head_fusion)
    n = fused.shape[-1]
    if add_residual:
        fused = (fused + torch.eye(n, dtype=fused.dtype)) / 2
    rollout = torch.eye(n, dtype=fused.dtype).expand(fused.shape[1], n, n)
    for layer in fused:
        rollout = layer @ rollout
    return rollout


@pitfall(replaces="attention_rollout", why="adds the identity after renormalising, so rows sum to 2")
def residual_after_norm(attentions: torch.Tensor, head_fusion: str = "mean", add_residual: bool = True) -> torch.Tensor:
    fused = _fuse(attentions, head_fusion)
    n = fused.shape[-1]
    fused = fused / fused.sum(-1, keepdim=True)
    if add_residual:
        fused = fused + torch.eye(n, dtype=fused.dtype)
    rollout = torch.eye(n, dtype=fused.dtype).expand(fused.shape[1], n, n)
    for layer in fused:
        rollout = layer @ rollout
    return rollout


@pitfall(replaces="attention_rollout", why="renormalises columns (dim -2) instead of rows")
def column_norm(attentions: torch.Tensor, head_fusion: str = "mean", add_residual: bool = True) -> torch.Tensor:
    fused = _fuse(attentions, head_fusion)
    n = fused.shape[-1]
    if add_residual:
        fused = fused + torch.eye(n, dtype=fused.dtype)
    fused = fused / fused.sum(-2, keepdim=True)
    rollout = torch.eye(n, dtype=fused.dtype).expand(fused.shape[1], n, n)
    for layer in fused:
        rollout = layer @ rollout
    return rollout


@pitfall(replaces="attention_rollout", why="averages the layers' maps instead of multiplying them")
def averages_layers(attentions: torch.Tensor, head_fusion: str = "mean", add_residual: bool = True) -> torch.Tensor:
    fused = _fuse(attentions, head_fusion)
    n = fused.shape[-1]
    if add_residual:
        fused = fused + torch.eye(n, dtype=fused.dtype)
    return (fused / fused.sum(-1, keepdim=True)).mean(0)


def _block(self: Block, x: torch.Tensor, *, scale: bool = True, softmax_dim: int = -1,
           post_norm: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    b, n, d = x.shape
    h = self.n_heads
    y = x if post_norm else self.norm1(x)
    q = self.q_proj(y).view(b, n, h, d // h).transpose(1, 2)
    k = self.k_proj(y).view(b, n, h, d // h).transpose(1, 2)
    v = self.v_proj(y).view(b, n, h, d // h).transpose(1, 2)
    scores = q @ k.transpose(-1, -2)
    if scale:
        scores = scores / math.sqrt(d // h)
    attn = scores.softmax(dim=softmax_dim)
    x = x + self.o_proj((attn @ v).transpose(1, 2).reshape(b, n, d))
    if post_norm:
        x = self.norm1(x)
        return self.norm2(x + self.fc2(F.gelu(self.fc1(x)))), attn
    return x + self.fc2(F.gelu(self.fc1(self.norm2(x)))), attn


@pitfall(replaces="Block.forward", why="forgets the 1/sqrt(d_head) scale")
def unscaled(self: Block, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return _block(self, x, scale=False)


@pitfall(replaces="Block.forward", why="softmax over the queries (dim -2) instead of the keys")
def softmax_over_queries(self: Block, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return _block(self, x, softmax_dim=-2)


@pitfall(replaces="Block.forward", why="post-norm (the original Transformer's) instead of ViT's pre-norm")
def post_norm(self: Block, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return _block(self, x, post_norm=True)


def _vit(self: TinyViT, images: torch.Tensor, *, pool: str = "cls", pos_on_cls: bool = True,
         final_norm: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    b = images.shape[0]
    x = self.patch_embed(images).flatten(2).transpose(1, 2)
    if pos_on_cls:
        x = torch.cat([self.cls_token.expand(b, -1, -1), x], dim=1) + self.pos_embed
    else:
        x = torch.cat([self.cls_token.expand(b, -1, -1), x + self.pos_embed[:, 1:]], dim=1)
    maps = []
    for block in self.blocks:
        x, attn = block(x)
        maps.append(attn)
    if final_norm:
        x = self.norm(x)
    return self.head(x[:, 0] if pool == "cls" else x.mean(1)), torch.stack(maps)


@pitfall(replaces="TinyViT.forward", why="classifies the mean of all tokens instead of the [CLS] token")
def mean_pool(self: TinyViT, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return _vit(self, images, pool="mean")


@pitfall(replaces="TinyViT.forward", why="adds position embeddings to the patches only, not to [CLS]")
def no_position_on_cls(self: TinyViT, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return _vit(self, images, pos_on_cls=False)


@pitfall(replaces="TinyViT.forward", why="forgets the final LayerNorm before the head")
def no_final_norm(self: TinyViT, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return _vit(self, images, final_norm=False)


@pitfall(replaces="TinyViT.forward", why="reads the patch grid column by column (transposed token order)")
def column_major_patches(self: TinyViT, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return _vit_colmajor(self, images)


def _vit_colmajor(self: TinyViT, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    b = images.shape[0]
    x = self.patch_embed(images).transpose(-1, -2).flatten(2).transpose(1, 2)
    x = torch.cat([self.cls_token.expand(b, -1, -1), x], dim=1) + self.pos_embed
    maps = []
    for block in self.blocks:
        x, attn = block(x)
        maps.append(attn)
    return self.head(self.norm(x)[:, 0]), torch.stack(maps)
