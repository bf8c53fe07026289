"""ret-04-7: multimodal RAG, image and text embeddings in one index. Edit this file; `grader check ret-04-7` tests it."""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F  # noqa: F401  (you will need it)

SIZE = 12
SHAPES = ("circle", "square", "triangle", "cross")
COLORS = {"red": (1.0, 0.0, 0.0), "green": (0.0, 1.0, 0.0), "blue": (0.0, 0.0, 1.0), "yellow": (1.0, 1.0, 0.0)}
VOCAB = tuple(COLORS) + SHAPES


def render(shape: str, color: str, dx: int, dy: int, noise: float, rng: np.random.Generator) -> np.ndarray:
    """A SIZE x SIZE RGB image of one coloured shape, shifted by (dx, dy), plus Gaussian noise (given)."""
    yy, xx = np.mgrid[0:SIZE, 0:SIZE]
    cy, cx = SIZE / 2 - 0.5 + dy, SIZE / 2 - 0.5 + dx
    if shape == "circle":
        mask = (yy - cy) ** 2 + (xx - cx) ** 2 <= 3.2 ** 2
    elif shape == "square":
        mask = (abs(yy - cy) <= 2.5) & (abs(xx - cx) <= 2.5)
    elif shape == "triangle":
        mask = (yy - cy >= -3) & (yy - cy <= 3) & (abs(xx - cx) <= (yy - cy + 3) / 2)
    else:
        mask = ((abs(yy - cy) <= 0.6) & (abs(xx - cx) <= 3.5)) | ((abs(xx - cx) <= 0.6) & (abs(yy - cy) <= 3.5))
    img = np.zeros((SIZE, SIZE, 3))
    img[mask] = COLORS[color]
    return img + noise * rng.standard_normal(img.shape)


def image_features(img: np.ndarray) -> np.ndarray:
    """A fixed image encoder (given): the 2-D FFT magnitude of the brightness (shift-invariant shape)
    and the mean colour of the lit pixels. Shape (SIZE * SIZE + 3,), float64."""
    gray = img.sum(axis=-1)
    lit = gray > 0.5
    colour = img[lit].mean(axis=0) if lit.any() else np.zeros(3)
    return np.concatenate([np.abs(np.fft.fft2(gray)).ravel() / 10, 3 * colour])


def caption_features(text: str) -> np.ndarray:
    """A fixed text encoder (given): bag of VOCAB words. Shape (len(VOCAB),), float64."""
    words = text.lower().split()
    return np.array([float(w in words) for w in VOCAB])


def make_dataset(per_class: int, seed: int, noise: float = 0.05) -> tuple[torch.Tensor, torch.Tensor, list[str]]:
    """Rendered images and their captions "a <colour> <shape>" (given): per_class random shifts of each
    of the 16 colour-shape pairs. Returns (image features (N, 147), caption features (N, 8), captions)."""
    rng = np.random.default_rng(seed)
    imgs, caps = [], []
    for shape in SHAPES:
        for color in COLORS:
            for _ in range(per_class):
                dx, dy = rng.integers(-2, 3, size=2)
                imgs.append(image_features(render(shape, color, int(dx), int(dy), noise, rng)))
                caps.append(f"a {color} {shape}")
    return (torch.tensor(np.array(imgs)), torch.tensor(np.array([caption_features(c) for c in caps])), caps)


def clip_loss(img_emb: torch.Tensor, txt_emb: torch.Tensor, temperature: float = 0.1) -> torch.Tensor:
    """CLIP's symmetric contrastive loss: row i of each is a matching pair.

    Both sides are L2-normalized; logits = img @ txt.T / temperature; the loss is the mean of the
    cross-entropy of each image over the texts and of each text over the images, with the matching
    index as the target.

    Shapes:
        img_emb, txt_emb: (N, d); returns: a scalar tensor, differentiable
    """
    raise NotImplementedError("clip_loss: normalize, similarity / temperature, cross-entropy both ways")


def train_joint(img_feats: torch.Tensor, txt_feats: torch.Tensor, dim: int = 16, steps: int = 60,
                lr: float = 0.05, temperature: float = 0.1, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Learn linear projections of both modalities into one dim-dimensional space with clip_loss.

    g = torch.Generator().manual_seed(seed); W_img = randn(img_feats.shape[1], dim, generator=g) * 0.05,
    then W_txt = randn(txt_feats.shape[1], dim, generator=g) * 0.05, both float64 leaf tensors;
    torch.optim.Adam([W_img, W_txt], lr); `steps` full-batch steps minimizing
    clip_loss(img_feats @ W_img, txt_feats @ W_txt, temperature).

    Returns:
        (W_img, W_txt), detached.
    """
    raise NotImplementedError("train_joint: seeded init, Adam, steps of clip_loss")


class MultimodalIndex:
    """One index for both modalities: unit-length vectors tagged "image" or "text", searched by cosine.

    Vectors and queries may be float32 or float64, mixed freely (scores are computed in float64).
    """

    def __init__(self) -> None:
        raise NotImplementedError("MultimodalIndex.__init__")

    def add(self, ids: list[str], vectors: torch.Tensor, modality: str) -> None:
        """Store the rows of vectors (normalized to unit length) under ids, tagged with modality.

        Raises:
            ValueError: if modality is not "image" or "text", or len(ids) != len(vectors).
        """
        raise NotImplementedError("MultimodalIndex.add")

    def search(self, query: torch.Tensor, k: int, modality: str | None = None) -> list[tuple[str, str, float]]:
        """The k stored items most cosine-similar to the query vector, best first, equal scores in
        insertion order; only items of that modality when modality is given.

        Returns:
            [(id, modality, cosine as a float), ...], at most k

        Raises:
            ValueError: if k < 0 or modality is not None, "image" or "text".
        """
        raise NotImplementedError("MultimodalIndex.search")
