"""Plausible wrong instruction-tuning code that the tests must reject."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from instruct import EOS_ID, IGNORE, PAD_ID, collate, decode, encode, prompt_text, sft_loss


@pitfall(replaces="build_example", why="labels on the prompt too: the model is trained to write instructions")
def trains_on_prompt(task: str, text: str, response: str) -> tuple[torch.Tensor, torch.Tensor]:
    ids = torch.tensor(encode(prompt_text(task, text)) + encode(response) + [EOS_ID])
    return ids, ids.clone()


@pitfall(replaces="build_example", why="no EOS after the response: the model never learns to stop")
def no_eos(task: str, text: str, response: str) -> tuple[torch.Tensor, torch.Tensor]:
    prompt, answer = encode(prompt_text(task, text)), encode(response)
    return torch.tensor(prompt + answer), torch.tensor([IGNORE] * len(prompt) + answer)


@pitfall(replaces="build_example", why="keeps the label of the last prompt token ('=>'): off by one at the boundary")
def boundary_off_by_one(task: str, text: str, response: str) -> tuple[torch.Tensor, torch.Tensor]:
    prompt, answer = encode(prompt_text(task, text)), encode(response) + [EOS_ID]
    return torch.tensor(prompt + answer), torch.tensor([IGNORE] * (len(prompt) - 1) + prompt[-1:] + answer)


@pitfall(replaces="collate", why="pads the labels with PAD_ID instead of IGNORE: the model learns to predict padding")
def labels_padded_with_pad(examples: Sequence[tuple[torch.Tensor, torch.Tensor]]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(ids) for ids, _ in examples)
    ids = torch.stack([F.pad(i, (0, width - len(i)), value=PAD_ID) for i, _ in examples])
    labels = torch.stack([F.pad(lab, (0, width - len(lab)), value=PAD_ID) for _, lab in examples])
    return ids, labels


@pitfall(replaces="collate", why="left padding: the prompts no longer start at position 0")
def left_padding(examples: Sequence[tuple[torch.Tensor, torch.Tensor]]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(ids) for ids, _ in examples)
    ids = torch.stack([F.pad(i, (width - len(i), 0), value=PAD_ID) for i, _ in examples])
    labels = torch.stack([F.pad(lab, (width - len(lab), 0), value=IGNORE) for _, lab in examples])
    return ids, labels


@pitfall(replaces="sft_loss", why="no shift: position t is scored on its own input token")
def loss_without_shift(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=IGNORE)


@pitfall(replaces="sft_loss", why="averages each sequence first, then the sequences: short responses weigh more")
def mean_of_sequence_means(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    targets = labels[:, 1:]
    per_token = F.cross_entropy(logits[:, :-1].transpose(1, 2), targets.clamp_min(0), reduction="none")
    counted = (targets != IGNORE).double()
    return ((per_token * counted).sum(1) / counted.sum(1).clamp_min(1)).mean()


@pitfall(replaces="instruction_tune", why="never calls zero_grad: gradients pile up across steps")
def no_zero_grad(model: nn.Module, examples: Sequence[tuple[torch.Tensor, torch.Tensor]], steps: int,
                 batch_size: int, lr: float, generator: torch.Generator) -> list[float]:
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    losses = []
    for _ in range(steps):
        idx = torch.randint(len(examples), (batch_size,), generator=generator)
        input_ids, labels = collate([examples[int(i)] for i in idx])
        loss = sft_loss(model(input_ids), labels)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


@pitfall(replaces="respond", why="does not stop at EOS: keeps generating until max_new")
def ignores_eos(model: nn.Module, task: str, text: str, max_new: int = 6) -> str:
    ids = torch.tensor([encode(prompt_text(task, text))])
    out: list[int] = []
    with torch.no_grad():
        for _ in range(max_new):
            nxt = int(model(ids)[0, -1].argmax())
            if nxt != EOS_ID:
                out.append(nxt)
            ids = torch.cat([ids, torch.tensor([[nxt]])], dim=-1)
    return decode(out)
