"""Plausible wrong versions of patchify and CrossModalAttention.forward that the tests must reject."""
from __future__ import annotations

import math

import torch
from torch import nn

from grader.pitfalls import pitfall


def _check(images: torch.Tensor, patch: int) -> None:
    if images.ndim != 4 or patch <= 0 or images.shape[2] % patch or images.shape[3] % patch:
        raise ValueError("bad input")


@pitfall(replaces="patchify", why="a plain reshape without the permute: 'patches' are strips of rows, not squares")
def reshape_only(images: torch.Tensor, patch: int) -> torch.Tensor:
    _check(images, patch)
    B, C, H, W = images.shape
    return images.reshape(B, (H // patch) * (W // patch), C * patch * patch)


@pitfall(replaces="patchify", why="flattens each patch channels-last (row, column, channel), not unfold's layout")
def channels_last(images: torch.Tensor, patch: int) -> torch.Tensor:
    _check(images, patch)
    B, C, H, W = images.shape
    x = images.reshape(B, C, H // patch, patch, W // patch, patch)
    return x.permute(0, 2, 4, 3, 5, 1).reshape(B, (H // patch) * (W // patch), C * patch * patch)


@pitfall(replaces="patchify", why="numbers the patches column by column instead of row by row")
def column_major(images: torch.Tensor, patch: int) -> torch.Tensor:
    _check(images, patch)
    B, C, H, W = images.shape
    x = images.reshape(B, C, H // patch, patch, W // patch, patch)
    return x.permute(0, 4, 2, 1, 3, 5).reshape(B, (H // patch) * (W // patch), C * patch * patch)


def _heads(self: nn.Module, text: torch.Tensor, patches: torch.Tensor) -> tuple[torch.Tensor, ...]:
    if text.shape[0] != patches.shape[0]:
        raise ValueError("batch sizes differ")
    B, T, D = text.shape
    N, hd = patches.shape[1], D // self.n_heads
    q = self.q_proj(text).view(B, T, self.n_heads, hd).transpose(1, 2)
    k = self.k_proj(patches).view(B, N, self.n_heads, hd).transpose(1, 2)
    v = self.v_proj(patches).view(B, N, self.n_heads, hd).transpose(1, 2)
    return q, k, v


def _finish(self: nn.Module, weights: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    B, H, T, _ = weights.shape
    return self.out_proj((weights @ v).transpose(1, 2).reshape(B, T, -1)), weights


@pitfall(replaces="CrossModalAttention.forward", why="forgets the 1/sqrt(head_dim) scale")
def unscaled(self: nn.Module, text: torch.Tensor, patches: torch.Tensor,
             key_padding_mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    q, k, v = _heads(self, text, patches)
    scores = q @ k.transpose(-1, -2)
    if key_padding_mask is not None:
        scores = scores.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
    return _finish(self, scores.softmax(-1), v)


@pitfall(replaces="CrossModalAttention.forward", why="scales by sqrt(d_text) instead of sqrt(head_dim)")
def model_width_scale(self: nn.Module, text: torch.Tensor, patches: torch.Tensor,
                      key_padding_mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    q, k, v = _heads(self, text, patches)
    scores = q @ k.transpose(-1, -2) / math.sqrt(text.shape[-1])
    if key_padding_mask is not None:
        scores = scores.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
    return _finish(self, scores.softmax(-1), v)


@pitfall(replaces="CrossModalAttention.forward", why="mask polarity reversed: True treated as 'keep'")
def mask_reversed(self: nn.Module, text: torch.Tensor, patches: torch.Tensor,
                  key_padding_mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    q, k, v = _heads(self, text, patches)
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
    if key_padding_mask is not None:
        keep = key_padding_mask.clone()
        keep[~keep.any(-1)] = True
        scores = scores.masked_fill(~keep[:, None, None, :], float("-inf"))
    return _finish(self, scores.softmax(-1), v)


@pitfall(replaces="CrossModalAttention.forward", why="softmax over the text tokens (dim -2) instead of over the patches")
def softmax_over_queries(self: nn.Module, text: torch.Tensor, patches: torch.Tensor,
                         key_padding_mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    q, k, v = _heads(self, text, patches)
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
    if key_padding_mask is not None:
        scores = scores.masked_fill(key_padding_mask[:, None, None, :], -1e9)
    weights = scores.softmax(-2)
    if key_padding_mask is not None:
        weights = weights.masked_fill(key_padding_mask[:, None, None, :], 0.0)
    return _finish(self, weights, v)


@pitfall(replaces="CrossModalAttention.forward", why="splits heads with a bare view(B, H, L, hd): heads mix positions")
def view_without_transpose(self: nn.Module, text: torch.Tensor, patches: torch.Tensor,
                           key_padding_mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    if text.shape[0] != patches.shape[0]:
        raise ValueError("batch sizes differ")
    B, T, D = text.shape
    N, hd = patches.shape[1], D // self.n_heads
    q = self.q_proj(text).view(B, self.n_heads, T, hd)
    k = self.k_proj(patches).view(B, self.n_heads, N, hd)
    v = self.v_proj(patches).view(B, self.n_heads, N, hd)
    scores = q @ k.transpose(-1, -2) / math.sqrt(hd)
    if key_padding_mask is not None:
        scores = scores.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
    weights = scores.softmax(-1)
    return self.out_proj((weights @ v).reshape(B, T, D)), weights
