"""arch-01-5: ViT patch embedding. Edit this file; `grader check arch-01-5` tests it."""
from __future__ import annotations

import torch


def patchify(images: torch.Tensor, patch: int) -> torch.Tensor:
    """Cut images into non-overlapping patch x patch squares and flatten each one.

    Patches are numbered row by row (left to right, then top to bottom); each is flattened in the
    order (channel, row, column), the order of a Conv2d weight's (C, p, p) block.

    Shapes:
        images: (B, C, H, W)
        returns: (B, (H/p) * (W/p), C * p * p), same dtype as images

    Raises:
        ValueError: if patch < 1 or H or W is not a multiple of patch.
    """
    raise NotImplementedError("patchify: reshape into a grid of patches, then flatten each")


def patch_embed(images: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, patch: int) -> torch.Tensor:
    """Linear projection of every flattened patch: patchify(images) @ W.T + b, W = weight viewed as (D, C*p*p).

    Equal to Conv2d(C, D, kernel_size=p, stride=p) with this weight and bias, flattened to tokens.

    Shapes:
        images: (B, C, H, W)     weight: (D, C, p, p)     bias: (D,)
        returns: (B, N, D), N = (H/p) * (W/p)
    """
    raise NotImplementedError("patch_embed: patchify, then one matrix product")


def vit_embeddings(images: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, cls_token: torch.Tensor,
                   pos_embed: torch.Tensor, patch: int) -> torch.Tensor:
    """ViT's input sequence: [CLS] followed by the patch tokens, plus a learned position embedding.

    Shapes:
        cls_token: (1, 1, D)     pos_embed: (1, N + 1, D)  (row 0 belongs to [CLS])
        returns: (B, N + 1, D)
    """
    raise NotImplementedError("vit_embeddings: prepend the class token, add the position embedding")
