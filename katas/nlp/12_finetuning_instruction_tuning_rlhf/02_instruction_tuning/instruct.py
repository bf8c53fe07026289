"""nlp-12-2: instruction-tune by prepending the task. Edit this file; `grader check nlp-12-2` tests it."""
from __future__ import annotations

import math
from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

VOCAB = ["[PAD]", "[EOS]", ":", "=>", "first", "last", "sort", "a", "b", "c", "d", "e", "f", "g", "h"]
PAD_ID, EOS_ID = 0, 1
IGNORE = -100
TASKS = {
    "first": lambda words: words[:1],
    "last": lambda words: words[-1:],
    "sort": lambda words: sorted(words),
}


def encode(text: str) -> list[int]:
    """Given: whitespace-separated words to ids ("first : b a =>" -> [4, 2, 8, 7, 3])."""
    return [VOCAB.index(word) for word in text.split()]


def decode(ids: Sequence[int]) -> str:
    """Given: ids back to words, joined by spaces."""
    return " ".join(VOCAB[int(i)] for i in ids)


def prompt_text(task: str, text: str) -> str:
    """Given: the instruction template, the task prepended to the input: "sort : c a b =>"."""
    return f"{task} : {text} =>"


def make_dataset(n: int, generator: torch.Generator, min_len: int = 2, max_len: int = 4) -> list[tuple[str, str, str]]:
    """Given: n (task, input, response) triples over random letter sequences; tasks drawn uniformly.

    ("sort", "c a b", "a b c"), ("last", "d g", "g"), ("first", "h e f a", "h"), ...
    """
    letters, names = VOCAB[7:], list(TASKS)
    out = []
    for _ in range(n):
        task = names[int(torch.randint(len(names), (), generator=generator))]
        length = int(torch.randint(min_len, max_len + 1, (), generator=generator))
        words = [letters[int(i)] for i in torch.randint(len(letters), (length,), generator=generator)]
        out.append((task, " ".join(words), " ".join(TASKS[task](words))))
    return out


class Block(nn.Module):
    """Given: a pre-norm transformer block with a causal mask."""

    def __init__(self, d_model: int, n_heads: int) -> None:
        super().__init__()
        self.n_heads = n_heads
        self.ln1 = nn.LayerNorm(d_model)
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.ln2 = nn.LayerNorm(d_model)
        self.fc = nn.Linear(d_model, 4 * d_model)
        self.out = nn.Linear(4 * d_model, d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, t, 3, self.n_heads, d // self.n_heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.n_heads)
        scores = scores.masked_fill(~torch.ones(t, t, dtype=torch.bool, device=x.device).tril(), float("-inf"))
        y = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(y)
        return x + self.out(F.gelu(self.fc(self.ln2(x))))


class TinyLM(nn.Module):
    """Given: a tiny causal transformer LM, forward(idx (B, T) long) -> logits (B, T, vocab_size)."""

    def __init__(self, vocab_size: int = len(VOCAB), d_model: int = 32, n_heads: int = 2, n_layers: int = 2,
                 max_len: int = 24) -> None:
        super().__init__()
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.pos_emb = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList(Block(d_model, n_heads) for _ in range(n_layers))
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size, bias=False)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        x = self.tok_emb(idx) + self.pos_emb(torch.arange(idx.shape[-1], device=idx.device))
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x))


def build_example(task: str, text: str, response: str) -> tuple[torch.Tensor, torch.Tensor]:
    """One training example: the prompt, the response and an end-of-sequence token, with labels
    only on what the model must learn to write.

    input_ids = encode(prompt_text(task, text)) + encode(response) + [EOS_ID]
    labels    = input_ids, with IGNORE (-100) at every prompt position (the response tokens and the
                EOS keep their ids). Labels are aligned with input_ids; the shift happens in sft_loss.

    Shapes:
        returns: input_ids (L,) long, labels (L,) long
    """
    raise NotImplementedError("build_example: encode prompt + response + EOS, hide the prompt from the labels")


def collate(examples: Sequence[tuple[torch.Tensor, torch.Tensor]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad a list of examples to the longest: input_ids with PAD_ID, labels with IGNORE.

    Shapes:
        examples: (input_ids (L_i,), labels (L_i,)) pairs
        returns: input_ids (B, max L_i) long, labels (B, max L_i) long
    """
    raise NotImplementedError("collate: right-pad ids with PAD_ID and labels with IGNORE")


def sft_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Supervised fine-tuning loss: logits at position t are scored against labels[t + 1]; positions
    whose target label is IGNORE do not count; the mean is over all counted tokens of the batch.

    Shapes:
        logits: (B, T, V); labels: (B, T) long; returns: scalar tensor
    """
    raise NotImplementedError("sft_loss: shift by one, cross-entropy that ignores IGNORE, mean over tokens")


def instruction_tune(model: nn.Module, examples: Sequence[tuple[torch.Tensor, torch.Tensor]], steps: int,
                     batch_size: int, lr: float, generator: torch.Generator) -> list[float]:
    """Instruction-tune with AdamW(model.parameters(), lr=lr, weight_decay=0.0) for `steps` steps.

    Each step: idx = torch.randint(len(examples), (batch_size,), generator=generator), collate those
    examples, loss = sft_loss(model(input_ids), labels), one optimizer step.

    Returns:
        the loss of every step, as Python floats
    """
    raise NotImplementedError("instruction_tune: sample a batch, collate, sft_loss, step")


def respond(model: nn.Module, task: str, text: str, max_new: int = 6) -> str:
    """Greedy answer to an instruction: feed encode(prompt_text(task, text)), append the argmax of
    the last position's logits until EOS_ID is produced or max_new tokens were added. Returns
    decode() of the generated tokens, without the prompt and without the EOS.
    """
    raise NotImplementedError("respond: greedy decoding from the prompt, stopping at EOS")
