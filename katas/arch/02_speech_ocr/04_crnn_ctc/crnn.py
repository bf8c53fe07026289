"""arch-02-4: a CRNN reading rendered text. Edit this file; `grader check arch-02-4` tests it."""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F  # noqa: F401  (you will want it)
from PIL import Image, ImageDraw, ImageFont
from torch import nn

HEIGHT, WIDTH = 10, 32
_FONT = ImageFont.load_default()


def render_text(text: str, x0: int = 0, width: int = WIDTH) -> np.ndarray:
    """Draw `text` with Pillow's built-in font, left edge at column x0: a (HEIGHT, width) float32 image in [0, 1]."""
    image = Image.new("L", (width, HEIGHT + 2), 0)
    ImageDraw.Draw(image).text((x0, -1), text, fill=255, font=_FONT)
    return np.asarray(image, dtype=np.float32)[1:HEIGHT + 1] / 255.0


def text_width(text: str) -> int:
    """Width in pixels of `text` in the built-in font."""
    return int(_FONT.getbbox(text)[2]) if text else 0


class CRNN(nn.Module):
    """Shi et al.'s CRNN at toy size: a CNN reads the image, a BiLSTM reads the columns, a linear layer scores
    blank (class 0) and each character (classes 1..n_chars)."""

    def __init__(self, n_chars: int, hidden: int = 32) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, kernel_size=3, padding=1)
        self.bn2 = nn.BatchNorm2d(32)
        self.rnn = nn.LSTM(32 * (HEIGHT // 2), hidden, bidirectional=True)     # sequence-first
        self.fc = nn.Linear(2 * hidden, n_chars + 1)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """relu(bn1(conv1)), 2x2 max-pool, relu(bn2(conv2)); then each of the W/2 feature columns, flattened
        channel-major (all heights of channel 0, then channel 1, ...), is one step of the BiLSTM; fc scores
        every step. The input is left unchanged.

        Shapes:
            images: (B, 1, HEIGHT, W), W even
            returns: logits (W // 2, B, n_chars + 1), time first as F.ctc_loss wants
        """
        raise NotImplementedError("CRNN.forward")


def encode_texts(texts: list[str], alphabet: str) -> tuple[torch.Tensor, torch.Tensor]:
    """CTC targets: character alphabet[i] becomes class i + 1 (0 is the blank), all texts concatenated.

    Shapes:
        returns: (targets (sum of lengths,) int64, lengths (len(texts),) int64)

    Raises:
        ValueError: if a text holds a character that is not in the alphabet.
    """
    raise NotImplementedError("encode_texts")


def crnn_ctc_loss(logits: torch.Tensor, texts: list[str], alphabet: str) -> torch.Tensor:
    """CTC loss of the texts under the logits: log-softmax over classes, blank 0, every one of the T frames used
    for every image, and the mean over the batch of each loss divided by its target length (F.ctc_loss's "mean").
    Differentiable in the logits; the inputs are left unchanged.

    Shapes:
        logits: (T, B, len(alphabet) + 1)     returns: a scalar

    Raises:
        ValueError: if a text holds a character that is not in the alphabet.
    """
    raise NotImplementedError("crnn_ctc_loss")


def greedy_decode(logits: torch.Tensor, alphabet: str) -> list[str]:
    """Best path decoding: the argmax class per frame, runs of the same class merged, then blanks removed.
    The input is left unchanged.

    Shapes:
        logits: (T, B, len(alphabet) + 1)     returns: B strings
    """
    raise NotImplementedError("greedy_decode")


def character_error_rate(references: list[str], hypotheses: list[str]) -> float:
    """Corpus CER: the sum over pairs of the Levenshtein distance (insertions, deletions, substitutions, each 1)
    divided by the total number of reference characters. It can exceed 1.

    Raises:
        ValueError: if the lists differ in length or the references hold no characters at all.
    """
    raise NotImplementedError("character_error_rate")
