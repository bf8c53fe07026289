"""Reference solution for nlp-33-2."""
from __future__ import annotations

import math

import torch
from torch import nn


def patchify(images: torch.Tensor, patch: int) -> torch.Tensor:
    if images.ndim != 4 or patch <= 0 or images.shape[2] % patch or images.shape[3] % patch:
        raise ValueError(f"need (B, C, H, W) images with H and W divisible by patch={patch}, got {tuple(images.shape)}")
    B, C, H, W = images.shape
    x = images.reshape(B, C, H // patch, patch, W // patch, patch)
    return x.permute(0, 2, 4, 1, 3, 5).reshape(B, (H // patch) * (W // patch), C * patch * patch)


class CrossModalAttention(nn.Module):
    def __init__(self, d_text: int, d_image: int, n_heads: int) -> None:
        super().__init__()
        if d_text % n_heads:
            raise ValueError(f"d_text={d_text} is not divisible by n_heads={n_heads}")
        self.n_heads = n_heads
        self.q_proj = nn.Linear(d_text, d_text)
        self.k_proj = nn.Linear(d_image, d_text)
        self.v_proj = nn.Linear(d_image, d_text)
        self.out_proj = nn.Linear(d_text, d_text)

    def forward(self, text: torch.Tensor, patches: torch.Tensor,
                key_padding_mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        if text.shape[0] != patches.shape[0]:
            raise ValueError(f"batch sizes differ: text {tuple(text.shape)}, patches {tuple(patches.shape)}")
        B, T, D = text.shape
        N = patches.shape[1]
        hd = D // self.n_heads
        q = self.q_proj(text).view(B, T, self.n_heads, hd).transpose(1, 2)
        k = self.k_proj(patches).view(B, N, self.n_heads, hd).transpose(1, 2)
        v = self.v_proj(patches).view(B, N, self.n_heads, hd).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(hd)
        if key_padding_mask is not None:
            scores = scores.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        weights = scores.softmax(dim=-1)
        out = (weights @ v).transpose(1, 2).reshape(B, T, D)
        return self.out_proj(out), weights
