"""Plausible wrong EWC, replay and isolation code that the tests must reject."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from grader.pitfalls import pitfall


@pitfall(replaces="fisher_diagonal", why="squares the mean gradient of the whole batch instead of averaging squared per-window gradients")
def squared_batch_gradient(model: nn.Module, windows: torch.Tensor) -> dict[str, torch.Tensor]:
    params = {name: p for name, p in model.named_parameters() if p.requires_grad}
    loss = F.cross_entropy(model(windows[:, :-1]).transpose(1, 2), windows[:, 1:])
    grads = torch.autograd.grad(loss, list(params.values()))
    return {name: g.detach() ** 2 for name, g in zip(params, grads, strict=True)}


@pitfall(replaces="fisher_diagonal", why="sums the squared gradients over windows instead of averaging")
def summed_fisher(model: nn.Module, windows: torch.Tensor) -> dict[str, torch.Tensor]:
    params = {name: p for name, p in model.named_parameters() if p.requires_grad}
    fisher = {name: torch.zeros_like(p) for name, p in params.items()}
    for row in windows:
        grads = torch.autograd.grad(F.cross_entropy(model(row[None, :-1])[0], row[1:]), list(params.values()))
        for name, g in zip(params, grads, strict=True):
            fisher[name] += g.detach() ** 2
    return fisher


@pitfall(replaces="fisher_diagonal", why="uses loss.backward() per window and reads p.grad: gradients accumulate across windows and stay behind")
def accumulating_backward(model: nn.Module, windows: torch.Tensor) -> dict[str, torch.Tensor]:
    params = {name: p for name, p in model.named_parameters() if p.requires_grad}
    fisher = {name: torch.zeros_like(p) for name, p in params.items()}
    for row in windows:
        F.cross_entropy(model(row[None, :-1])[0], row[1:]).backward()
        for name, p in params.items():
            fisher[name] += p.grad.detach() ** 2
    return {name: f / len(windows) for name, f in fisher.items()}


@pitfall(replaces="ewc_penalty", why="forgets the 1/2: the penalty (and its pull) is twice too strong")
def no_half(model: nn.Module, anchor: dict[str, torch.Tensor], fisher: dict[str, torch.Tensor],
            lam: float) -> torch.Tensor:
    params = dict(model.named_parameters())
    return lam * torch.as_tensor(sum((fisher[n] * (params[n] - anchor[n]) ** 2).sum() for n in fisher))


@pitfall(replaces="ewc_penalty", why="detaches the current weights: the penalty has the right value but no gradient")
def detached(model: nn.Module, anchor: dict[str, torch.Tensor], fisher: dict[str, torch.Tensor],
             lam: float) -> torch.Tensor:
    params = {n: p.detach() for n, p in model.named_parameters()}
    total = sum((fisher[n] * (params[n] - anchor[n]) ** 2).sum() for n in fisher)
    return (lam / 2 * torch.as_tensor(total)).requires_grad_()


@pitfall(replaces="ReplayBuffer.add", why="keeps the first `capacity` items forever: the buffer only remembers the start of the stream")
def keeps_first(self: object, item: torch.Tensor, generator: torch.Generator) -> None:
    if self.seen < self.capacity:
        self.items.append(item)
    self.seen += 1


@pitfall(replaces="ReplayBuffer.add", why="draws j from randint(seen) instead of randint(seen + 1): new items are kept too often")
def off_by_one_draw(self: object, item: torch.Tensor, generator: torch.Generator) -> None:
    if self.seen < self.capacity:
        self.items.append(item)
    else:
        j = int(torch.randint(self.seen, (), generator=generator))
        if j < self.capacity:
            self.items[j] = item
    self.seen += 1


@pitfall(replaces="ReplayBuffer.add", why="always evicts a random slot once full (a sliding random window, not a uniform sample)")
def always_replace(self: object, item: torch.Tensor, generator: torch.Generator) -> None:
    if self.seen < self.capacity:
        self.items.append(item)
    else:
        self.items[int(torch.randint(self.capacity, (), generator=generator))] = item
    self.seen += 1


@pitfall(replaces="mask_gradients", why="inverts the mask: zeroes the free entries and trains the old task's")
def inverted_mask(model: nn.Module, frozen: dict[str, torch.Tensor]) -> None:
    for name, p in model.named_parameters():
        if name in frozen and p.grad is not None:
            p.grad[~frozen[name]] = 0.0
