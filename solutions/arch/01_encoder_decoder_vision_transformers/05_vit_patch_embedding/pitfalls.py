"""Plausible wrong patch embeddings that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from patch_embedding import patch_embed, patchify


def _check(images: torch.Tensor, patch: int) -> tuple[int, int, int, int]:
    b, c, h, w = images.shape
    if patch < 1 or h % patch or w % patch:
        raise ValueError("ragged image")
    return b, c, h // patch, w // patch


@pitfall(replaces="patchify", why="flattens each patch channels-last (p, p, C), einops' '(p1 p2 c)', not a conv weight's (C, p, p)")
def channels_last_patches(images: torch.Tensor, patch: int) -> torch.Tensor:
    b, c, gh, gw = _check(images, patch)
    x = images.reshape(b, c, gh, patch, gw, patch).permute(0, 2, 4, 3, 5, 1)
    return x.reshape(b, gh * gw, c * patch * patch)


@pitfall(replaces="patchify", why="numbers the patches column by column")
def column_major_patches(images: torch.Tensor, patch: int) -> torch.Tensor:
    b, c, gh, gw = _check(images, patch)
    x = images.reshape(b, c, gh, patch, gw, patch).permute(0, 4, 2, 1, 3, 5)
    return x.reshape(b, gh * gw, c * patch * patch)


@pitfall(replaces="patchify", why="a bare reshape to (B, N, C*p*p) without moving the axes: rows of pixels, not patches")
def reshape_only(images: torch.Tensor, patch: int) -> torch.Tensor:
    b, c, gh, gw = _check(images, patch)
    return images.reshape(b, gh * gw, c * patch * patch)


@pitfall(replaces="patchify", why="no check that the image divides into whole patches: the ragged border is dropped")
def crops_silently(images: torch.Tensor, patch: int) -> torch.Tensor:
    b, c, h, w = images.shape
    patch = max(patch, 1)
    gh, gw = h // patch, w // patch
    x = images[:, :, :gh * patch, :gw * patch].reshape(b, c, gh, patch, gw, patch).permute(0, 2, 4, 1, 3, 5)
    return x.reshape(b, gh * gw, c * patch * patch)


@pitfall(replaces="patch_embed", why="forgets the bias")
def no_bias(images: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, patch: int) -> torch.Tensor:
    return patchify(images, patch) @ weight.reshape(weight.shape[0], -1).T


@pitfall(replaces="vit_embeddings", why="appends the class token at the end instead of the front")
def cls_last(images: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, cls_token: torch.Tensor,
             pos_embed: torch.Tensor, patch: int) -> torch.Tensor:
    tokens = patch_embed(images, weight, bias, patch)
    cls = cls_token.reshape(1, 1, -1).expand(tokens.shape[0], 1, -1)
    return torch.cat([tokens, cls], dim=1) + pos_embed


@pitfall(replaces="vit_embeddings", why="adds the position embedding before prepending [CLS]: the class token gets none")
def cls_without_position(images: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, cls_token: torch.Tensor,
                         pos_embed: torch.Tensor, patch: int) -> torch.Tensor:
    tokens = patch_embed(images, weight, bias, patch)
    tokens = tokens + pos_embed[:, 1:]
    cls = cls_token.reshape(1, 1, -1).expand(tokens.shape[0], 1, -1)
    return torch.cat([cls, tokens], dim=1)
