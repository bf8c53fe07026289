"""Plausible wrong versions of the CRNN pieces that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from crnn import CRNN, _edit_distance, encode_texts


@pitfall(replaces="CRNN.forward", why="flattens each column height-major (reshape after permuting H before C)")
def height_major_columns(self: CRNN, images: torch.Tensor) -> torch.Tensor:
    x = F.max_pool2d(F.relu(self.bn1(self.conv1(images))), 2)
    x = F.relu(self.bn2(self.conv2(x)))
    b, c, h, w = x.shape
    out, _ = self.rnn(x.permute(3, 0, 2, 1).reshape(w, b, h * c))
    return self.fc(out)


@pitfall(replaces="CRNN.forward", why="feeds the sequence-first LSTM a batch-first tensor (B, T, F)")
def batch_first_to_lstm(self: CRNN, images: torch.Tensor) -> torch.Tensor:
    x = F.max_pool2d(F.relu(self.bn1(self.conv1(images))), 2)
    x = F.relu(self.bn2(self.conv2(x)))
    b, c, h, w = x.shape
    out, _ = self.rnn(x.permute(0, 3, 1, 2).reshape(b, w, c * h))
    return self.fc(out).transpose(0, 1)


@pitfall(replaces="CRNN.forward", why="applies the ReLU before the batch norm")
def relu_before_bn(self: CRNN, images: torch.Tensor) -> torch.Tensor:
    x = F.max_pool2d(self.bn1(F.relu(self.conv1(images))), 2)
    x = self.bn2(F.relu(self.conv2(x)))
    b, c, h, w = x.shape
    out, _ = self.rnn(x.permute(3, 0, 1, 2).reshape(w, b, c * h))
    return self.fc(out)


@pitfall(replaces="encode_texts", why="0-based classes: the first character collides with the blank")
def zero_based(texts: list[str], alphabet: str) -> tuple[torch.Tensor, torch.Tensor]:
    for text in texts:
        if any(ch not in alphabet for ch in text):
            raise ValueError("unknown character")
    return (torch.tensor([alphabet.index(c) for t in texts for c in t], dtype=torch.long),
            torch.tensor([len(t) for t in texts], dtype=torch.long))


@pitfall(replaces="crnn_ctc_loss", why="passes raw logits to ctc_loss (no log_softmax)")
def no_log_softmax(logits: torch.Tensor, texts: list[str], alphabet: str) -> torch.Tensor:
    targets, lengths = encode_texts(texts, alphabet)
    t, b, _ = logits.shape
    return F.ctc_loss(logits, targets, torch.full((b,), t), lengths)


@pitfall(replaces="crnn_ctc_loss", why="reduction='sum' instead of the length-normalised mean")
def summed(logits: torch.Tensor, texts: list[str], alphabet: str) -> torch.Tensor:
    targets, lengths = encode_texts(texts, alphabet)
    t, b, _ = logits.shape
    return F.ctc_loss(logits.log_softmax(-1), targets, torch.full((b,), t), lengths, reduction="sum")


@pitfall(replaces="crnn_ctc_loss", why="declares one frame fewer than the model produced (input length T - 1)")
def input_length_off_by_one(logits: torch.Tensor, texts: list[str], alphabet: str) -> torch.Tensor:
    targets, lengths = encode_texts(texts, alphabet)
    t, b, _ = logits.shape
    return F.ctc_loss(logits.log_softmax(-1), targets, torch.full((b,), max(t - 1, 1)), lengths, zero_infinity=True)


@pitfall(replaces="greedy_decode", why="removes blanks before merging repeats, so 'A blank A' reads as 'A'")
def drops_blanks_first(logits: torch.Tensor, alphabet: str) -> list[str]:
    out = []
    for row in logits.argmax(-1).T.tolist():
        kept = [k for k in row if k != 0]
        out.append("".join(alphabet[k - 1] for i, k in enumerate(kept) if i == 0 or k != kept[i - 1]))
    return out


@pitfall(replaces="greedy_decode", why="never merges repeats: one character per frame")
def no_merge(logits: torch.Tensor, alphabet: str) -> list[str]:
    return ["".join(alphabet[k - 1] for k in row if k != 0) for row in logits.argmax(-1).T.tolist()]


@pitfall(replaces="character_error_rate", why="averages per-string error rates instead of pooling the edits")
def mean_of_rates(references: list[str], hypotheses: list[str]) -> float:
    if len(references) != len(hypotheses) or not "".join(references):
        raise ValueError("bad input")
    rates = [_edit_distance(r, h) / max(len(r), 1) for r, h in zip(references, hypotheses, strict=True)]
    return sum(rates) / len(rates)


@pitfall(replaces="character_error_rate", why="counts mismatched positions (Hamming) instead of edits")
def hamming(references: list[str], hypotheses: list[str]) -> float:
    if len(references) != len(hypotheses) or not "".join(references):
        raise ValueError("bad input")
    wrong = sum(sum(a != b for a, b in zip(r, h, strict=False)) + abs(len(r) - len(h))
                for r, h in zip(references, hypotheses, strict=True))
    return wrong / sum(len(r) for r in references)
