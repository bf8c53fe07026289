"""Reference solution for arch-01-5."""
from __future__ import annotations

import torch


def patchify(images: torch.Tensor, patch: int) -> torch.Tensor:
    b, c, h, w = images.shape
    if patch < 1 or h % patch or w % patch:
        raise ValueError(f"image {h}x{w} is not a whole number of {patch}x{patch} patches")
    gh, gw = h // patch, w // patch
    x = images.reshape(b, c, gh, patch, gw, patch)
    x = x.permute(0, 2, 4, 1, 3, 5)                  # (B, gh, gw, C, p, p)
    return x.reshape(b, gh * gw, c * patch * patch)


def patch_embed(images: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, patch: int) -> torch.Tensor:
    return patchify(images, patch) @ weight.reshape(weight.shape[0], -1).T + bias


def vit_embeddings(images: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, cls_token: torch.Tensor,
                   pos_embed: torch.Tensor, patch: int) -> torch.Tensor:
    tokens = patch_embed(images, weight, bias, patch)
    cls = cls_token.reshape(1, 1, -1).expand(tokens.shape[0], 1, -1)
    return torch.cat([cls, tokens], dim=1) + pos_embed.reshape(1, -1, tokens.shape[-1])
