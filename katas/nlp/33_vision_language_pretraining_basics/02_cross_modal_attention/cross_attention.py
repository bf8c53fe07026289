"""nlp-33-2: cross-modal attention, text attends to image patches. Edit this file; `grader check nlp-33-2` tests it."""
from __future__ import annotations

import torch
from torch import nn


def patchify(images: torch.Tensor, patch: int) -> torch.Tensor:
    """Cut images into non-overlapping patch x patch squares and flatten each, as a ViT does.

    Patches are numbered row by row (left to right, then top to bottom); each is flattened in
    (channel, row, column) order, which is the layout of torch.nn.functional.unfold. Same dtype.

    Shapes:
        images: (B, C, H, W)
        returns: (B, (H // patch) * (W // patch), C * patch * patch)

    Raises:
        ValueError: if images is not 4-D, patch <= 0, or H or W is not a multiple of patch.
    """
    raise NotImplementedError("patchify: reshape to (B, C, H/p, p, W/p, p), permute, flatten")


class CrossModalAttention(nn.Module):
    """Multi-head attention whose queries come from text tokens and whose keys and values come from
    image patches (the cross-attention of Flamingo-style and encoder-decoder captioning models).

    The projections are given: q_proj maps text (d_text) to d_text, k_proj and v_proj map patches
    (d_image) to d_text, out_proj maps d_text to d_text; each has a bias. n_heads must divide d_text.
    """

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
        """Each text token attends over the image's patches.

        Per head h (head_dim = d_text / n_heads): weights = softmax(q_h k_hᵀ / sqrt(head_dim)) over
        the patches, output = concat_h(weights_h v_h) then out_proj. key_padding_mask[b, n] = True
        hides patch n of image b (weight exactly 0), as in nn.MultiheadAttention; None hides nothing.
        Every image keeps at least one visible patch. The inputs are not modified.

        Shapes:
            text: (B, T, d_text), patches: (B, N, d_image), key_padding_mask: (B, N) bool or None
            returns: (output (B, T, d_text), weights (B, n_heads, T, N))

        Raises:
            ValueError: if text and patches have different batch sizes.
        """
        raise NotImplementedError("CrossModalAttention.forward: queries from text, keys and values from patches")
