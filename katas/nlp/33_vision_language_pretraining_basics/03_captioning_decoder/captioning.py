"""nlp-33-3: an image-captioning decoder, evaluated with corpus BLEU. Edit this file; `grader check nlp-33-3` tests it."""
from __future__ import annotations

import math  # noqa: F401  (math.log, math.exp, for corpus_bleu)
from collections import Counter  # noqa: F401  (n-gram counts, for corpus_bleu)

import torch
import torch.nn.functional as F
from torch import nn

# ----------------------------------------------------------------------------- the caption set (given)

COLOURS = {"red": (1.0, 0.1, 0.1), "green": (0.1, 0.9, 0.1), "blue": (0.1, 0.2, 1.0), "yellow": (1.0, 1.0, 0.1)}
SHAPES = ("square", "circle", "triangle")
ROWS = ("top", "bottom")
COLUMNS = ("left", "right")
VOCAB = ("<pad>", "<bos>", "<eos>", "a", "the", "in", "is", *COLOURS, *SHAPES, *ROWS, *COLUMNS)
PAD, BOS, EOS = 0, 1, 2
IMAGE_SIZE = 16
CAPTION_LEN = 10  # <bos> + at most 8 words + <eos>


def render_scene(colour: str, shape: str, row: str, column: str, generator: torch.Generator) -> torch.Tensor:
    """Given: a (3, 16, 16) float32 image of one coloured shape (5-7 px, jittered) in a quadrant, on noise."""
    s = IMAGE_SIZE
    img = torch.rand(3, s, s, generator=generator) * 0.15
    size = int(torch.randint(5, 8, (1,), generator=generator))
    r0 = (0 if row == "top" else s // 2) + int(torch.randint(0, s // 2 - size + 1, (1,), generator=generator))
    c0 = (0 if column == "left" else s // 2) + int(torch.randint(0, s // 2 - size + 1, (1,), generator=generator))
    yy, xx = torch.meshgrid(torch.arange(size), torch.arange(size), indexing="ij")
    if shape == "square":
        mask = torch.ones(size, size, dtype=torch.bool)
    elif shape == "circle":
        c = (size - 1) / 2
        mask = (yy - c) ** 2 + (xx - c) ** 2 <= 0.8 * (size / 2) ** 2
    else:
        mask = xx >= yy
    colour_t = torch.tensor(COLOURS[colour])[:, None, None].expand(3, size, size)
    img[:, r0:r0 + size, c0:c0 + size] = torch.where(mask, colour_t, img[:, r0:r0 + size, c0:c0 + size])
    return img


def reference_captions(colour: str, shape: str, row: str, column: str) -> list[list[str]]:
    """Given: the two reference captions of a scene, as word lists."""
    return [f"a {colour} {shape} in the {row} {column}".split(),
            f"the {shape} in the {row} {column} is {colour}".split()]


def make_caption_set(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor, list[list[list[str]]]]:
    """Given: n rendered scenes, one training caption each (a reference chosen at random), and all references.

    Returns images (n, 3, 16, 16) float32, captions (n, CAPTION_LEN) int64 = <bos> words <eos> <pad>...,
    and references: for each image, its two reference captions as word lists.
    """
    g = torch.Generator().manual_seed(seed)
    images, captions, references = [], [], []
    for _ in range(n):
        colour = list(COLOURS)[int(torch.randint(len(COLOURS), (1,), generator=g))]
        shape = SHAPES[int(torch.randint(len(SHAPES), (1,), generator=g))]
        row = ROWS[int(torch.randint(2, (1,), generator=g))]
        column = COLUMNS[int(torch.randint(2, (1,), generator=g))]
        images.append(render_scene(colour, shape, row, column, g))
        refs = reference_captions(colour, shape, row, column)
        words = refs[int(torch.randint(len(refs), (1,), generator=g))]
        ids = [BOS, *(VOCAB.index(w) for w in words), EOS]
        captions.append(ids + [PAD] * (CAPTION_LEN - len(ids)))
        references.append(refs)
    return torch.stack(images), torch.tensor(captions), references


def words(ids: list[int]) -> list[str]:
    """Given: token ids to words."""
    return [VOCAB[i] for i in ids]


def patchify(images: torch.Tensor, patch: int) -> torch.Tensor:
    """Given: (B, C, H, W) -> (B, N, C * patch * patch), patches row by row (the layout of F.unfold)."""
    return F.unfold(images, kernel_size=patch, stride=patch).transpose(1, 2)


# ----------------------------------------------------------------------------- the decoder

class DecoderBlock(nn.Module):
    """One pre-norm transformer decoder block: causal self-attention, cross-attention to the image, MLP.

    The sub-modules are given, named as in `torch.nn.TransformerDecoderLayer` (both attentions are
    `nn.MultiheadAttention` with batch_first=True, no dropout).
    """

    def __init__(self, d_model: int, n_heads: int, d_ff: int) -> None:
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, n_heads, dropout=0.0, batch_first=True)
        self.multihead_attn = nn.MultiheadAttention(d_model, n_heads, dropout=0.0, batch_first=True)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.norm3 = nn.LayerNorm(d_model)

    def forward(self, x: torch.Tensor, memory: torch.Tensor) -> torch.Tensor:
        """x + SelfAttn(norm1 x) [causal], then + CrossAttn(norm2 x, memory), then + linear2(gelu(linear1(norm3 x))).

        Self-attention is causal: position t attends to positions 0..t only. Cross-attention takes its
        queries from the text and its keys and values from `memory` (every patch visible). GELU is the
        exact (erf) one. This is `nn.TransformerDecoderLayer(norm_first=True, activation="gelu",
        dropout=0)` with a causal target mask. The inputs are not modified.

        Shapes:
            x: (B, T, d_model) text states; memory: (B, N, d_model) image patch features
            returns: (B, T, d_model)
        """
        raise NotImplementedError("DecoderBlock.forward: causal self-attention, cross-attention to memory, MLP, each pre-norm with a residual")


class CaptionDecoder(nn.Module):
    """Patch embedding of the image + a stack of DecoderBlocks over the caption tokens + a vocabulary head.

    The parameters are given: patch_embed (C*patch*patch -> d_model), patch_pos (n_patches, d_model),
    tok_embed (vocab_size -> d_model), pos_embed (max_len, d_model), blocks, norm (final LayerNorm),
    head (d_model -> vocab_size).
    """

    def __init__(self, vocab_size: int = len(VOCAB), d_model: int = 32, n_heads: int = 2, d_ff: int = 64,
                 n_layers: int = 1, patch: int = 4, image_size: int = IMAGE_SIZE, channels: int = 3,
                 max_len: int = CAPTION_LEN) -> None:
        super().__init__()
        self.patch = patch
        self.max_len = max_len
        n_patches = (image_size // patch) ** 2
        self.patch_embed = nn.Linear(channels * patch * patch, d_model)
        self.patch_pos = nn.Parameter(torch.randn(n_patches, d_model) * 0.02)
        self.tok_embed = nn.Embedding(vocab_size, d_model)
        self.pos_embed = nn.Parameter(torch.randn(max_len, d_model) * 0.02)
        self.blocks = nn.ModuleList(DecoderBlock(d_model, n_heads, d_ff) for _ in range(n_layers))
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, images: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        """Next-token logits for every caption position, given the image.

        memory = patch_embed(patchify(images, self.patch)) + patch_pos;
        x = tok_embed(tokens) + pos_embed[:T]; x = block(x, memory) for each block;
        logits = head(norm(x)). Logits at position t depend on tokens[:, :t+1] and the image only.

        Shapes:
            images: (B, C, H, W) float32; tokens: (B, T) int64 with 1 <= T <= max_len
            returns: (B, T, vocab_size) float32
        """
        raise NotImplementedError("CaptionDecoder.forward: embed patches and tokens, run the blocks, norm, head")


def caption_loss(model: nn.Module, images: torch.Tensor, captions: torch.Tensor, pad_id: int = PAD) -> torch.Tensor:
    """Teacher-forced next-token cross-entropy of `model` on the captions.

    The model reads captions[:, :-1] and is scored on predicting captions[:, 1:]; target positions
    equal to `pad_id` are left out, and the loss is the mean over the remaining target tokens of the
    whole batch (not a mean of per-caption means). `model(images, tokens)` returns (B, T, V) logits.

    Shapes:
        images: (B, C, H, W); captions: (B, L) int64, L >= 2, at least one non-pad target in the batch
        returns: scalar tensor (differentiable)
    """
    raise NotImplementedError("caption_loss: read captions[:, :-1], predict captions[:, 1:], skip pad targets")


@torch.no_grad()
def greedy_decode(model: nn.Module, images: torch.Tensor, max_len: int, bos_id: int = BOS,
                  eos_id: int = EOS) -> list[list[int]]:
    """Greedy captions: start from <bos>, append the argmax token of the last position, repeat.

    Each caption ends at its first `eos_id` (not included in the output) or after `max_len` generated
    tokens, whichever comes first; captions of one batch may end at different steps, and a finished
    caption gets no further tokens. The <bos> token is not included in the output. The model is called
    with at most max_len tokens per row (<bos> plus the tokens generated so far).

    Shapes:
        images: (B, C, H, W)
        returns: B lists of token ids, each of length <= max_len

    Raises:
        ValueError: if max_len < 1.
    """
    raise NotImplementedError("greedy_decode: argmax of the last position, append, stop at eos or max_len")


def corpus_bleu(hypotheses: list[list[str]], references: list[list[list[str]]], max_n: int = 4) -> float:
    """Corpus BLEU (Papineni et al. 2002), no smoothing, on a 0..1 scale.

    For n = 1..max_n: p_n = (sum over hypotheses of clipped n-gram matches) / (sum over hypotheses of
    their n-gram counts), where a hypothesis n-gram's count is clipped by its largest count in any one
    of that hypothesis's references. A hypothesis shorter than n adds 0 to both sums.
    BP = 1 if c > r else exp(1 - r / c), with c the total hypothesis length and r the sum over
    hypotheses of the reference length closest to the hypothesis's length (ties: the shorter one).
    BLEU = BP * exp(mean_n log p_n); it is 0.0 when c = 0 or any p_n has no match.

    Shapes:
        hypotheses: N word lists; references: N lists of >= 1 word lists each
        returns: a Python float in [0, 1]

    Raises:
        ValueError: if max_n < 1 or len(hypotheses) != len(references).
    """
    raise NotImplementedError("corpus_bleu: clipped n-gram precisions summed over the corpus, brevity penalty, geometric mean")


# ----------------------------------------------------------------------------- training (given)

def train_captioner(model: nn.Module, images: torch.Tensor, captions: torch.Tensor, steps: int = 250,
                    lr: float = 3e-3, batch_size: int = 64, seed: int = 0) -> list[float]:
    """Given: Adam on random mini-batches of the caption set with `caption_loss`; returns the loss curve."""
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    model.train()
    for _ in range(steps):
        idx = torch.randint(len(images), (batch_size,), generator=g)
        loss = caption_loss(model, images[idx], captions[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    model.eval()
    return losses
