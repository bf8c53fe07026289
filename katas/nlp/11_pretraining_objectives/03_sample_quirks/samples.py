"""nlp-11-3: generate from masked, causal and prefix LMs and measure their quirks. Edit this file; `grader check nlp-11-3` tests it."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

WORDS = ["[MASK]", ".", "the", "a", "big", "small", "red", "cat", "dog", "bird", "fish",
         "sees", "likes", "chases", "eats"]
MASK_ID = 0


def toy_english(n_sentences: int, generator: torch.Generator) -> torch.Tensor:
    """Given: a stream of word ids from a tiny grammar, `DET [ADJ] NOUN VERB DET [ADJ] NOUN .`

    Each adjective slot is filled with probability 1/2; every word is drawn uniformly from its class.
    `" ".join(WORDS[i] for i in ids)` reads like "the cat sees a red fish . a dog eats the bird ."

    Shapes:
        returns: (n_tokens,) long, ids into WORDS, never MASK_ID
    """
    def pick(lo: int, hi: int) -> int:
        return lo + int(torch.randint(hi - lo, (), generator=generator))

    out: list[int] = []
    for _ in range(n_sentences):
        for role in ("subject", "object"):
            out.append(pick(2, 4))                                   # the / a
            if torch.rand((), generator=generator) < 0.5:
                out.append(pick(4, 7))                               # big / small / red
            out.append(pick(7, 11))                                  # cat / dog / bird / fish
            if role == "subject":
                out.append(pick(11, 15))                             # sees / likes / chases / eats
        out.append(1)                                                # .
    return torch.tensor(out)


def random_windows(stream: torch.Tensor, batch_size: int, seq_len: int, generator: torch.Generator) -> torch.Tensor:
    """Given: a batch of random contiguous windows of the token stream.

    Shapes:
        stream: (n_tokens,) long, n_tokens >= seq_len
        returns: (batch_size, seq_len) long
    """
    start = torch.randint(len(stream) - seq_len + 1, (batch_size,), generator=generator)
    return stream[start[:, None] + torch.arange(seq_len)]


class Block(nn.Module):
    """Given: a pre-norm transformer block whose attention takes an explicit bool mask (True = may attend)."""

    def __init__(self, d_model: int, n_heads: int) -> None:
        super().__init__()
        self.n_heads = n_heads
        self.ln1 = nn.LayerNorm(d_model)
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.ln2 = nn.LayerNorm(d_model)
        self.fc = nn.Linear(d_model, 4 * d_model)
        self.out = nn.Linear(4 * d_model, d_model)

    def forward(self, x: torch.Tensor, attn_mask: torch.Tensor | None) -> torch.Tensor:
        b, t, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, t, 3, self.n_heads, d // self.n_heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.n_heads)
        if attn_mask is not None:
            scores = scores.masked_fill(~attn_mask, float("-inf"))
        y = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(y)
        return x + self.out(F.gelu(self.fc(self.ln2(x))))


class TinyLM(nn.Module):
    """Given: a tiny transformer whose attention pattern is whatever mask you pass.

    forward(idx (B, T) long, attn_mask (T, T) bool or None) -> logits (B, T, vocab_size).
    The same network is a masked, causal or prefix LM: only the mask and the loss differ.
    """

    def __init__(self, vocab_size: int, d_model: int = 32, n_heads: int = 2, n_layers: int = 1,
                 max_len: int = 64) -> None:
        super().__init__()
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.pos_emb = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList(Block(d_model, n_heads) for _ in range(n_layers))
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size, bias=False)

    def forward(self, idx: torch.Tensor, attn_mask: torch.Tensor | None = None) -> torch.Tensor:
        x = self.tok_emb(idx) + self.pos_emb(torch.arange(idx.shape[-1], device=idx.device))
        for block in self.blocks:
            x = block(x, attn_mask)
        return self.head(self.norm(x))


def attention_mask(objective: str, seq_len: int, prefix_len: int = 0) -> torch.Tensor:
    """Given (you built it in nlp-11-1): (T, T) bool, True = may attend."""
    if objective == "mlm":
        return torch.ones(seq_len, seq_len, dtype=torch.bool)
    mask = torch.ones(seq_len, seq_len, dtype=torch.bool).tril()
    if objective == "prefix":
        mask[:prefix_len, :prefix_len] = True
    return mask


def make_example(objective: str, idx: torch.Tensor, prefix_len: int,
                 generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Given (you built it in nlp-11-1): inputs, targets and loss mask, BERT's 80/10/10 at 15% for "mlm"."""
    if objective == "mlm":
        selected = torch.rand(idx.shape, generator=generator) < 0.15
        action = torch.rand(idx.shape, generator=generator)
        random_tokens = torch.randint(len(WORDS), idx.shape, generator=generator)
        inputs = torch.where(selected & (action < 0.8), torch.full_like(idx, MASK_ID), idx)
        inputs = torch.where(selected & (action >= 0.8) & (action < 0.9), random_tokens, inputs)
        return inputs, idx, selected
    scored = torch.arange(idx.shape[-1]) < idx.shape[-1] - 1
    if objective == "prefix":
        scored &= torch.arange(idx.shape[-1]) >= prefix_len - 1
    return idx, idx.roll(-1, dims=-1), scored.expand(idx.shape)


def pretrain(objective: str, steps: int = 200, seed: int = 0, seq_len: int = 16, prefix_len: int = 6) -> TinyLM:
    """Given: a TinyLM trained with one objective on toy English, to sample from in the notebook (seconds)."""
    stream = toy_english(500, torch.Generator().manual_seed(seed))
    gen = torch.Generator().manual_seed(seed + 1)
    torch.manual_seed(seed)
    model = TinyLM(len(WORDS), max_len=seq_len)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.0)
    mask = attention_mask(objective, seq_len, prefix_len)
    for _ in range(steps):
        inputs, targets, scored = make_example(objective, random_windows(stream, 32, seq_len, gen), prefix_len, gen)
        loss = F.cross_entropy(model(inputs, mask)[scored], targets[scored])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model.eval()


def decode(ids: torch.Tensor) -> list[str]:
    """Given: each row of (B, T) ids as a sentence of WORDS."""
    return [" ".join(WORDS[int(i)] for i in row) for row in ids]


def sample_next(logits: torch.Tensor, temperature: float = 0.0, generator: torch.Generator | None = None) -> torch.Tensor:
    """Given: one token per row. temperature 0 is greedy (argmax); otherwise a draw from softmax(logits / T).

    Shapes:
        logits: (B, V); returns: (B,) long
    """
    if temperature == 0.0:
        return logits.argmax(dim=-1)
    probs = torch.softmax(logits.double() / temperature, dim=-1)
    return torch.multinomial(probs, 1, generator=generator).squeeze(-1)


def generate_causal(model: nn.Module, prompt: torch.Tensor, n_new: int, temperature: float = 0.0,
                    generator: torch.Generator | None = None) -> torch.Tensor:
    """Autoregressive generation from a causal LM.

    n_new times: run model(tokens, attention_mask("clm", T)) on everything so far (length T), pick
    the next token with sample_next(logits at the last position, temperature, generator) (called
    once per step), append it.

    Shapes:
        prompt: (B, T0) long, T0 >= 1; returns: (B, T0 + n_new) long, starting with the prompt
    """
    raise NotImplementedError("generate_causal: predict from the last position, append, repeat")


def generate_prefix(model: nn.Module, prompt: torch.Tensor, n_new: int, temperature: float = 0.0,
                    generator: torch.Generator | None = None) -> torch.Tensor:
    """Autoregressive generation from a prefix LM whose prefix is the prompt.

    As generate_causal, but every forward pass uses attention_mask("prefix", T, prefix_len=T0): the
    prompt is read bidirectionally, the generated tokens causally, and the prefix stays the prompt.

    Shapes:
        prompt: (B, T0) long, T0 >= 1; returns: (B, T0 + n_new) long
    """
    raise NotImplementedError("generate_prefix: as generate_causal, with the prompt as a bidirectional prefix")


def generate_masked(model: nn.Module, prompt: torch.Tensor, n_new: int, order: str = "left_to_right",
                    mask_id: int = MASK_ID) -> torch.Tensor:
    """Greedy generation from a masked LM: append n_new mask tokens, then fill them in.

    Every forward pass is bidirectional, model(tokens, attention_mask("mlm", T)), and a masked
    position is always filled with its argmax over the tokens other than mask_id. order:
      "left_to_right": n_new passes; each fills the leftmost still-masked position.
      "parallel": one pass fills every masked position at once.
      "confidence": n_new passes; each fills, in every row, the still-masked position whose
          predicted distribution (softmax over the non-mask tokens) has the largest top
          probability (the leftmost one on a tie).

    Shapes:
        prompt: (B, T0) long; returns: (B, T0 + n_new) long with no mask_id left in the new part

    Raises:
        ValueError: for an unknown order.
    """
    raise NotImplementedError("generate_masked: fill the masks left to right, all at once, or most confident first")


def distinct_n(tokens: torch.Tensor, n: int) -> torch.Tensor:
    """Diversity of each row: the number of distinct n-grams divided by the number of n-grams (T - n + 1).

    Shapes:
        tokens: (B, T) long with T >= n >= 1; returns: (B,) float64 in (0, 1]

    Raises:
        ValueError: if n < 1 or T < n.
    """
    raise NotImplementedError("distinct_n: distinct n-grams over all n-grams, per row")


def adjacent_repeats(tokens: torch.Tensor) -> torch.Tensor:
    """The "the the" rate of each row: the fraction of the T - 1 neighbouring pairs that are the same token.

    Shapes:
        tokens: (B, T) long with T >= 2; returns: (B,) float64 in [0, 1]
    """
    raise NotImplementedError("adjacent_repeats: compare each token with the one before it")
