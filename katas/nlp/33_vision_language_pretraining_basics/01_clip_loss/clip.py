"""nlp-33-1: CLIP's symmetric contrastive loss. Edit this file; `grader check nlp-33-1` tests it."""
from __future__ import annotations

import torch


def clip_logits(image_emb: torch.Tensor, text_emb: torch.Tensor, logit_scale: torch.Tensor) -> torch.Tensor:
    """Scaled cosine similarity of every image with every text: CLIP's logits_per_image.

    logits[i, j] = exp(logit_scale) * cos(image_emb[i], text_emb[j]). logit_scale is the learnable
    log inverse temperature (a 0-d tensor); gradients flow to all three inputs. The dtype of the
    embeddings; the inputs are not modified.

    Shapes:
        image_emb: (N, D), text_emb: (M, D), logit_scale: ()
        returns: (N, M)

    Raises:
        ValueError: if either embedding is not 2-D or their widths D differ.
    """
    raise NotImplementedError("clip_logits: L2-normalise the rows, matmul, scale by exp(logit_scale)")


def clip_loss(image_emb: torch.Tensor, text_emb: torch.Tensor, logit_scale: torch.Tensor) -> torch.Tensor:
    """The symmetric InfoNCE loss of CLIP for a batch of B matching (image, text) pairs.

    Row i of each input is a matching pair; every other row is a negative. The loss is the mean of
    the image->text cross-entropy (each image must pick its text among the B texts) and the
    text->image cross-entropy (each text must pick its image), computed on clip_logits.

    Shapes:
        image_emb, text_emb: (B, D), logit_scale: ()
        returns: () in the dtype of the embeddings

    Raises:
        ValueError: if the batch sizes differ (and everything clip_logits raises for).
    """
    raise NotImplementedError("clip_loss: cross-entropy both ways against the diagonal, averaged")
