"""arch-01-6: a tiny ViT classifier and attention rollout. Edit this file; `grader check arch-01-6` tests it."""
from __future__ import annotations

import math  # noqa: F401  (you will want it)

import torch
import torch.nn.functional as F  # noqa: F401  (you will want it)
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
        """x + MHA(norm1(x)), then x + fc2(gelu(fc1(norm2(x)))); also returns the attention weights.

        The attention weights are softmax(q k^T / sqrt(d_head)) over the keys, per head. The input is left
        unchanged.

        Shapes:
            x: (B, N, dim)
            returns: (out (B, N, dim), attention (B, n_heads, N, N), each row summing to 1)
        """
        raise NotImplementedError("Block.forward")


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
        """Tokens = [CLS; patch_embed(images) read row by row] + pos_embed (row 0 is [CLS]'s), the blocks in
        order, the final norm, and head applied to the [CLS] token. The input is left unchanged.

        Shapes:
            images: (B, channels, image_size, image_size)
            returns: (logits (B, n_classes), attentions (depth, B, n_heads, N + 1, N + 1), first block first)
        """
        raise NotImplementedError("TinyViT.forward")


def attention_rollout(attentions: torch.Tensor, head_fusion: str = "mean", add_residual: bool = True) -> torch.Tensor:
    """Attention rollout (Abnar & Zuidema, 2020): how much each output token draws on each input token.

    Per layer l: fuse the heads (their "mean", "max" or "min"), add the identity if add_residual, and
    renormalise every row to sum to 1, giving Â_l. Then R = Â_L @ ... @ Â_2 @ Â_1 (the first layer acts
    first). The input is left unchanged.

    Shapes:
        attentions: (L, B, H, N, N), each row a distribution over keys
        returns: (B, N, N), same dtype as attentions; every row sums to 1

    Raises:
        ValueError: if attentions is not 5-D with square (N, N) maps, or head_fusion is not mean, max or min.
    """
    raise NotImplementedError("attention_rollout")
