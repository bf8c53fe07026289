"""Reference solution for arch-02-4."""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
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
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(images))), 2)            # (B, 16, H/2, W/2)
        x = F.relu(self.bn2(self.conv2(x)))                                  # (B, 32, H/2, W/2)
        b, c, h, w = x.shape
        seq = x.permute(3, 0, 1, 2).reshape(w, b, c * h)                     # one step per column
        out, _ = self.rnn(seq)
        return self.fc(out)                                                  # (W/2, B, n_chars + 1)


def encode_texts(texts: list[str], alphabet: str) -> tuple[torch.Tensor, torch.Tensor]:
    for text in texts:
        for ch in text:
            if ch not in alphabet:
                raise ValueError(f"character {ch!r} is not in the alphabet {alphabet!r}")
    targets = torch.tensor([alphabet.index(ch) + 1 for text in texts for ch in text], dtype=torch.long)
    lengths = torch.tensor([len(text) for text in texts], dtype=torch.long)
    return targets, lengths


def crnn_ctc_loss(logits: torch.Tensor, texts: list[str], alphabet: str) -> torch.Tensor:
    targets, lengths = encode_texts(texts, alphabet)
    log_probs = logits.log_softmax(dim=-1)
    t, b, _ = logits.shape
    input_lengths = torch.full((b,), t, dtype=torch.long)
    return F.ctc_loss(log_probs, targets, input_lengths, lengths, blank=0, reduction="mean")


def greedy_decode(logits: torch.Tensor, alphabet: str) -> list[str]:
    best = logits.argmax(dim=-1).T.tolist()                                  # (B, T)
    out = []
    for row in best:
        chars, prev = [], 0
        for k in row:
            if k != prev and k != 0:
                chars.append(alphabet[k - 1])
            prev = k
        out.append("".join(chars))
    return out


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def character_error_rate(references: list[str], hypotheses: list[str]) -> float:
    if len(references) != len(hypotheses):
        raise ValueError(f"{len(references)} references but {len(hypotheses)} hypotheses")
    total = sum(len(r) for r in references)
    if total == 0:
        raise ValueError("the references hold no characters")
    return sum(_edit_distance(r, h) for r, h in zip(references, hypotheses, strict=True)) / total
