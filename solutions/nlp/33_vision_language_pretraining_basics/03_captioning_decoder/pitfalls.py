"""Plausible wrong captioning decoders, losses, greedy decoders and BLEUs that the tests must reject."""
from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from captioning import patchify


@pitfall(replaces="DecoderBlock.forward", why="no causal mask: each caption token attends to the words after it")
def no_causal_mask(self: nn.Module, x: torch.Tensor, memory: torch.Tensor) -> torch.Tensor:
    h = self.norm1(x)
    x = x + self.self_attn(h, h, h, need_weights=False)[0]
    h = self.norm2(x)
    x = x + self.multihead_attn(h, memory, memory, need_weights=False)[0]
    return x + self.linear2(F.gelu(self.linear1(self.norm3(x))))


@pitfall(replaces="DecoderBlock.forward", why="causal mask with triu(0): a token cannot attend to itself")
def mask_hides_diagonal(self: nn.Module, x: torch.Tensor, memory: torch.Tensor) -> torch.Tensor:
    T = x.shape[1]
    causal = torch.ones(T, T, dtype=torch.bool).triu(0)
    causal[0, 0] = False   # keep the first row defined
    h = self.norm1(x)
    x = x + self.self_attn(h, h, h, attn_mask=causal, need_weights=False)[0]
    h = self.norm2(x)
    x = x + self.multihead_attn(h, memory, memory, need_weights=False)[0]
    return x + self.linear2(F.gelu(self.linear1(self.norm3(x))))


@pitfall(replaces="DecoderBlock.forward", why="normalizes the image memory with norm2 too: keys and values are not the patches")
def normalizes_memory(self: nn.Module, x: torch.Tensor, memory: torch.Tensor) -> torch.Tensor:
    T = x.shape[1]
    causal = torch.ones(T, T, dtype=torch.bool).triu(1)
    h = self.norm1(x)
    x = x + self.self_attn(h, h, h, attn_mask=causal, need_weights=False)[0]
    h, m = self.norm2(x), self.norm2(memory)
    x = x + self.multihead_attn(h, m, m, need_weights=False)[0]
    return x + self.linear2(F.gelu(self.linear1(self.norm3(x))))


@pitfall(replaces="DecoderBlock.forward", why="post-norm (norm after each residual add) instead of pre-norm")
def post_norm(self: nn.Module, x: torch.Tensor, memory: torch.Tensor) -> torch.Tensor:
    T = x.shape[1]
    causal = torch.ones(T, T, dtype=torch.bool).triu(1)
    x = self.norm1(x + self.self_attn(x, x, x, attn_mask=causal, need_weights=False)[0])
    x = self.norm2(x + self.multihead_attn(x, memory, memory, need_weights=False)[0])
    return self.norm3(x + self.linear2(F.gelu(self.linear1(x))))


@pitfall(replaces="CaptionDecoder.forward", why="forgets the patch position embedding: the decoder cannot tell left from right")
def no_patch_positions(self: nn.Module, images: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
    memory = self.patch_embed(patchify(images, self.patch))
    x = self.tok_embed(tokens) + self.pos_embed[: tokens.shape[1]]
    for block in self.blocks:
        x = block(x, memory)
    return self.head(self.norm(x))


@pitfall(replaces="CaptionDecoder.forward", why="skips the final LayerNorm before the head")
def no_final_norm(self: nn.Module, images: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
    memory = self.patch_embed(patchify(images, self.patch)) + self.patch_pos
    x = self.tok_embed(tokens) + self.pos_embed[: tokens.shape[1]]
    for block in self.blocks:
        x = block(x, memory)
    return self.head(x)


@pitfall(replaces="caption_loss", why="no shift: the model is scored on the token it was just given")
def no_shift(model: nn.Module, images: torch.Tensor, captions: torch.Tensor, pad_id: int = 0) -> torch.Tensor:
    logits = model(images, captions[:, :-1])
    return F.cross_entropy(logits.flatten(0, 1), captions[:, :-1].flatten(), ignore_index=pad_id)


@pitfall(replaces="caption_loss", why="averages over padding targets too")
def counts_padding(model: nn.Module, images: torch.Tensor, captions: torch.Tensor, pad_id: int = 0) -> torch.Tensor:
    logits = model(images, captions[:, :-1])
    return F.cross_entropy(logits.flatten(0, 1), captions[:, 1:].flatten())


@pitfall(replaces="caption_loss", why="mean of per-caption means: short captions weigh as much as long ones")
def mean_of_means(model: nn.Module, images: torch.Tensor, captions: torch.Tensor, pad_id: int = 0) -> torch.Tensor:
    logits = model(images, captions[:, :-1])
    per_token = F.cross_entropy(logits.transpose(1, 2), captions[:, 1:], ignore_index=pad_id, reduction="none")
    keep = (captions[:, 1:] != pad_id).to(per_token.dtype)
    return (per_token.sum(1) / keep.sum(1).clamp(min=1)).mean()


@pitfall(replaces="greedy_decode", why="keeps the eos token in the returned caption")
def keeps_eos(model: nn.Module, images: torch.Tensor, max_len: int, bos_id: int = 1, eos_id: int = 2) -> list[list[int]]:
    if max_len < 1:
        raise ValueError("max_len must be >= 1")
    seq = torch.full((images.shape[0], 1), bos_id, dtype=torch.long)
    out: list[list[int]] = [[] for _ in range(images.shape[0])]
    done = [False] * images.shape[0]
    with torch.no_grad():
        for _ in range(max_len):
            nxt = model(images, seq)[:, -1].argmax(-1)
            for b in range(len(out)):
                if not done[b]:
                    out[b].append(int(nxt[b]))
                    done[b] = int(nxt[b]) == eos_id
            if all(done):
                break
            seq = torch.cat([seq, nxt[:, None]], dim=1)
    return out


@pitfall(replaces="greedy_decode", why="stops the whole batch when the first caption reaches eos")
def stops_batch_at_first_eos(model: nn.Module, images: torch.Tensor, max_len: int, bos_id: int = 1,
                             eos_id: int = 2) -> list[list[int]]:
    if max_len < 1:
        raise ValueError("max_len must be >= 1")
    seq = torch.full((images.shape[0], 1), bos_id, dtype=torch.long)
    out: list[list[int]] = [[] for _ in range(images.shape[0])]
    with torch.no_grad():
        for _ in range(max_len):
            nxt = model(images, seq)[:, -1].argmax(-1)
            if (nxt == eos_id).any():
                break
            for b in range(len(out)):
                out[b].append(int(nxt[b]))
            seq = torch.cat([seq, nxt[:, None]], dim=1)
    return out


@pitfall(replaces="greedy_decode", why="drops eos but keeps generating after it (the caption runs on to max_len)")
def ignores_eos(model: nn.Module, images: torch.Tensor, max_len: int, bos_id: int = 1, eos_id: int = 2) -> list[list[int]]:
    if max_len < 1:
        raise ValueError("max_len must be >= 1")
    seq = torch.full((images.shape[0], 1), bos_id, dtype=torch.long)
    with torch.no_grad():
        for _ in range(max_len):
            nxt = model(images, seq)[:, -1].argmax(-1)
            seq = torch.cat([seq, nxt[:, None]], dim=1)
    return [[int(t) for t in row[1:] if int(t) != eos_id] for row in seq]


def _bleu(hypotheses: list[list[str]], references: list[list[list[str]]], max_n: int, clip: bool = True,
          closest: bool = True) -> float:
    if max_n < 1 or len(hypotheses) != len(references):
        raise ValueError("bad arguments")
    matches, totals, c, r = [0] * max_n, [0] * max_n, 0, 0
    for hyp, refs in zip(hypotheses, references, strict=True):
        c += len(hyp)
        r += (min((len(x) for x in refs), key=lambda n: (abs(n - len(hyp)), n)) if closest
              else min(len(x) for x in refs))
        for n in range(1, max_n + 1):
            counts = Counter(tuple(hyp[i:i + n]) for i in range(len(hyp) - n + 1))
            best: Counter = Counter()
            for ref in refs:
                best |= Counter(tuple(ref[i:i + n]) for i in range(len(ref) - n + 1))
            matches[n - 1] += sum((min(k, best[g]) if clip else k * (g in best)) for g, k in counts.items())
            totals[n - 1] += max(0, len(hyp) - n + 1)
    if c == 0 or min(matches) == 0:
        return 0.0
    bp = 1.0 if c > r else math.exp(1 - r / c)
    return bp * math.exp(sum(math.log(m / t) for m, t in zip(matches, totals, strict=True)) / max_n)


@pitfall(replaces="corpus_bleu", why="no clipping: 'a a a' gets full unigram credit against a reference with one 'a'")
def unclipped(hypotheses: list[list[str]], references: list[list[list[str]]], max_n: int = 4) -> float:
    return _bleu(hypotheses, references, max_n, clip=False)


@pitfall(replaces="corpus_bleu", why="brevity penalty against the shortest reference instead of the closest one")
def shortest_reference(hypotheses: list[list[str]], references: list[list[list[str]]], max_n: int = 4) -> float:
    return _bleu(hypotheses, references, max_n, closest=False)


@pitfall(replaces="corpus_bleu", why="averages sentence-level BLEU instead of pooling the n-gram counts of the corpus")
def mean_sentence_bleu(hypotheses: list[list[str]], references: list[list[list[str]]], max_n: int = 4) -> float:
    if max_n < 1 or len(hypotheses) != len(references):
        raise ValueError("bad arguments")
    return sum(_bleu([h], [r], max_n) for h, r in zip(hypotheses, references, strict=True)) / max(len(hypotheses), 1)


@pitfall(replaces="corpus_bleu", why="arithmetic instead of geometric mean of the n-gram precisions")
def arithmetic_mean(hypotheses: list[list[str]], references: list[list[list[str]]], max_n: int = 4) -> float:
    if max_n < 1 or len(hypotheses) != len(references):
        raise ValueError("bad arguments")
    precisions = [_bleu(hypotheses, references, n) for n in range(1, max_n + 1)]
    # _bleu(…, n) = BP * geometric mean up to n; recover each p_n from successive ratios
    if min(precisions) == 0:
        return 0.0
    logs = [n * math.log(p) for n, p in enumerate(precisions, start=1)]
    p_n = [math.exp(logs[0])] + [math.exp(b - a) for a, b in zip(logs, logs[1:], strict=False)]
    bp = _bleu(hypotheses, references, 1) / p_n[0] if p_n[0] else 0.0
    return bp * sum(p_n) / max_n
