"""Reference solution for arch-01-6."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


class Block(nn.Module):
    """A pre-norm ViT encoder block (the layout of transformers' ViTLayer)."""

    def __init__(self, dim: int, n_heads: int, mlp_dim: int) -> None:
        super().__init__()
        if dim % n_heads:
            raise ValueError(f"dim={dim} is not a multiple of n_heads={n_heads}")
        self.n_heads = n_heads
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.q_proj = nn.Linear(dim, dim)
        self.k_proj = nn.Linear(dim, dim)
        self.v_proj = nn.Linear(dim, dim)
        self.o_proj = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.fc1 = nn.Linear(dim, mlp_dim)
        self.fc2 = nn.Linear(mlp_dim, dim)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        b, n, d = x.shape
        h = self.n_heads
        y = self.norm1(x)
        q = self.q_proj(y).view(b, n, h, d // h).transpose(1, 2)
        k = self.k_proj(y).view(b, n, h, d // h).transpose(1, 2)
        v = self.v_proj(y).view(b, n, h, d // h).transpose(1, 2)
        attn = (q @ k.transpose(-1, -2) / math.sqrt(d // h)).softmax(dim=-1)
        x = x + self.o_proj((attn @ v).transpose(1, 2).reshape(b, n, d))
        x = x + self.fc2(F.gelu(self.fc1(self.norm2(x))))
        return x, attn


class TinyViT(nn.Module):
    """Patch embedding (a strided convolution), [CLS] + learned positions, pre-norm blocks, final norm,
    a linear head on [CLS]. Parameter roles follow transformers' ViTForImageClassification."""

    def __init__(self, image_size: int, patch: int, channels: int, dim: int, depth: int, n_heads: int, mlp_dim: int,
                 n_classes: int) -> None:
        super().__init__()
        if image_size % patch:
            raise ValueError(f"image_size={image_size} is not a multiple of patch={patch}")
        n_patches = (image_size // patch) ** 2
        self.patch_embed = nn.Conv2d(channels, dim, kernel_size=patch, stride=patch)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, n_patches + 1, dim))
        self.blocks = nn.ModuleList([Block(dim, n_heads, mlp_dim) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, n_classes)

    def forward(self, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        b = images.shape[0]
        x = self.patch_embed(images).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(b, -1, -1), x], dim=1) + self.pos_embed
        maps = []
        for block in self.blocks:
            x, attn = block(x)
            maps.append(attn)
        x = self.norm(x)
        return self.head(x[:, 0]), torch.stack(maps)


def attention_rollout(attentions: torch.Tensor, head_fusion: str = "mean", add_residual: bool = True) -> torch.Tensor:
    if attentions.ndim != 5 or attentions.shape[-1] != attentions.shape[-2]:
        raise ValueError(f"attentions must be (L, B, H, N, N), got {tuple(attentions.shape)}")
    if head_fusion == "mean":
        fused = attentions.mean(dim=2)
    elif head_fusion == "max":
        fused = attentions.amax(dim=2)
    elif head_fusion == "min":
        fused = attentions.amin(dim=2)
    else:
        raise ValueError(f"head_fusion must be 'mean', 'max' or 'min', got {head_fusion!r}")
    n = fused.shape[-1]
    if add_residual:
        fused = fused + torch.eye(n, dtype=fused.dtype)
    fused = fused / fused.sum(dim=-1, keepdim=True)
    rollout = torch.eye(n, dtype=fused.dtype).expand(fused.shape[1], n, n)
    for layer in fused:
        rollout = layer @ rollout
    return rollout
