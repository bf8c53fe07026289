"""Reference solution for nlp-29-2."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from grader import lm

LOWER = "abcdefghijklmnopqrstuvwxyz"


def caesar(text: str, shift: int) -> str:
    """Given: every letter moved `shift` places along the alphabet (case kept), other characters kept."""
    upper = LOWER.upper()
    table = str.maketrans(LOWER + upper, LOWER[shift:] + LOWER[:shift] + upper[shift:] + upper[:shift])
    return text.translate(table)


def char_windows(text: str, length: int) -> torch.Tensor:
    """Given: `text` as consecutive non-overlapping windows of length + 1 character ids, (N, length + 1) int64."""
    ids = lm.encode(text)
    n = len(ids) // (length + 1)
    return ids[: n * (length + 1)].view(n, length + 1)


def small_model(seed: int, d_model: int = 32) -> lm.CharGPT:
    """Given: a fresh one-layer grader.lm.CharGPT initialised from `seed` (the global RNG is left alone)."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return lm.CharGPT(lm.LMConfig(n_layer=1, d_model=d_model, d_ff=2 * d_model, n_head=2))


def eval_loss(model: nn.Module, windows: torch.Tensor) -> float:
    """Given: mean next-character cross-entropy (nats) of `model` on (N, T + 1) windows."""
    with torch.no_grad():
        logits = model(windows[:, :-1])
        return F.cross_entropy(logits.double().transpose(1, 2), windows[:, 1:]).item()


def fisher_diagonal(model: nn.Module, windows: torch.Tensor) -> dict[str, torch.Tensor]:
    """The diagonal of the empirical Fisher information of `model` on `windows`.

    With l_n = F.cross_entropy(model(windows[n:n+1, :-1])[0], windows[n, 1:]) the loss of window n
    (mean over its positions), F[name] = (1/N) sum_n (d l_n / d param)**2, elementwise: the mean of
    the squared per-window gradients (not the square of the mean gradient). Only parameters with
    requires_grad get an entry. The model's weights are unchanged and every param.grad is None
    afterwards.

    Shapes:
        windows: (N, T + 1) int64
        returns: {parameter name: tensor of that parameter's shape, float32}
    """
    params = {name: p for name, p in model.named_parameters() if p.requires_grad}
    fisher = {name: torch.zeros_like(p) for name, p in params.items()}
    for row in windows:
        loss = F.cross_entropy(model(row[None, :-1])[0], row[1:])
        grads = torch.autograd.grad(loss, list(params.values()))
        for name, g in zip(params, grads, strict=True):
            fisher[name] += g.detach() ** 2
    return {name: f / len(windows) for name, f in fisher.items()}


def ewc_penalty(model: nn.Module, anchor: dict[str, torch.Tensor], fisher: dict[str, torch.Tensor],
                lam: float) -> torch.Tensor:
    """Elastic weight consolidation: (lam / 2) * sum_i F_i * (theta_i - theta*_i)**2.

    The sum runs over every parameter named in `fisher`; theta is the model's current parameter,
    theta* = anchor[name] the weights after the old task. Differentiable with respect to the model's
    parameters (it is added to the new task's loss).

    Shapes:
        returns: a scalar tensor
    """
    params = dict(model.named_parameters())
    total = sum((fisher[name] * (params[name] - anchor[name]) ** 2).sum() for name in fisher)
    return lam / 2 * torch.as_tensor(total)


class ReplayBuffer:
    """A fixed-size uniform sample of everything added so far: reservoir sampling (Vitter's Algorithm R).

    add(item, generator): with `seen` items added before this one, if seen < capacity the item is
    appended; otherwise j = int(torch.randint(seen + 1, (), generator=generator)) and, if
    j < capacity, the item replaces items[j]. Then seen += 1. Every item added so far is in the
    buffer with the same probability, capacity / seen.

    sample(k, generator): torch.stack of items[i] for i in
    torch.randint(len(items), (k,), generator=generator) (uniform, with replacement).

    Attributes:
        items: the list of stored items;  seen: how many items were added in all

    Raises:
        ValueError: capacity < 1 in the constructor; sample() on an empty buffer.
    """

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.capacity = capacity
        self.items: list[torch.Tensor] = []
        self.seen = 0

    def add(self, item: torch.Tensor, generator: torch.Generator) -> None:
        if self.seen < self.capacity:
            self.items.append(item)
        else:
            j = int(torch.randint(self.seen + 1, (), generator=generator))
            if j < self.capacity:
                self.items[j] = item
        self.seen += 1

    def sample(self, k: int, generator: torch.Generator) -> torch.Tensor:
        if not self.items:
            raise ValueError("cannot sample from an empty replay buffer")
        idx = torch.randint(len(self.items), (k,), generator=generator)
        return torch.stack([self.items[i] for i in idx.tolist()])


def mask_gradients(model: nn.Module, frozen: dict[str, torch.Tensor]) -> None:
    """Parameter isolation: zero, in place, the gradient entries owned by old tasks.

    frozen[name] is a bool tensor of the parameter's shape, True where the entry belongs to an old
    task. Call between backward() and the optimizer step; with an optimizer without weight decay
    the frozen entries then never move. Parameters not named in `frozen`, or whose grad is None,
    are left alone.
    """
    for name, p in model.named_parameters():
        if name in frozen and p.grad is not None:
            p.grad[frozen[name]] = 0.0


def train_task(model: nn.Module, windows: torch.Tensor, steps: int, lr: float, generator: torch.Generator,
               batch_size: int = 16, ewc: tuple | None = None, replay: tuple | None = None,
               frozen: dict[str, torch.Tensor] | None = None) -> list[float]:
    """Given: train on a new task with any of the three defences against forgetting.

    ewc = (anchor, fisher, lam) adds ewc_penalty to the loss; replay = (buffer, k) appends k windows
    sampled from the buffer to every batch; frozen = masks passed to mask_gradients before each step.
    AdamW without weight decay. Returns the per-step losses (task loss plus any penalty).
    """
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    losses = []
    for _ in range(steps):
        batch = windows[torch.randint(len(windows), (batch_size,), generator=generator)]
        if replay is not None:
            buffer, k = replay
            batch = torch.cat([batch, buffer.sample(k, generator)])
        loss = F.cross_entropy(model(batch[:, :-1]).transpose(1, 2), batch[:, 1:])
        if ewc is not None:
            anchor, fisher, lam = ewc
            loss = loss + ewc_penalty(model, anchor, fisher, lam)
        opt.zero_grad()
        loss.backward()
        if frozen is not None:
            mask_gradients(model, frozen)
        opt.step()
        losses.append(loss.item())
    return losses
