"""Plausible wrong versions of the HotFlip functions that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader import lm
from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from attacks import hotflip_scores, target_loss


@pitfall(replaces="hotflip_scores", why="E[v] · gradient without subtracting the current character's E[idx[t]] · gradient")
def no_baseline_term(model: lm.CharGPT, idx: torch.Tensor, position: int, target: int) -> torch.Tensor:
    emb = model.embed(idx[None]).detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(target_loss(model, emb, position, target).sum(), emb)
    return grad[0] @ model.embed.weight.detach().T


@pitfall(replaces="hotflip_scores", why="sign flipped: ranks the flips that make the prediction MORE confident")
def descends_the_loss(model: lm.CharGPT, idx: torch.Tensor, position: int, target: int) -> torch.Tensor:
    emb = model.embed(idx[None]).detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(target_loss(model, emb, position, target).sum(), emb)
    E = model.embed.weight.detach()
    return -(grad[0] @ E.T - (grad[0] * E[idx]).sum(dim=-1, keepdim=True))


def _attack(model: lm.CharGPT, idx: torch.Tensor, target: int, budget: int,
            once: bool = True, check_first: bool = True) -> tuple[torch.Tensor, int]:
    if not 0 <= budget <= len(idx):
        raise ValueError("bad budget")
    position = len(idx) - 1
    ids = idx.clone()
    used = torch.zeros(len(ids), dtype=torch.bool)
    flips = 0
    while flips < budget:
        if check_first:
            with torch.no_grad():
                if int(model(ids[None])[0, position].argmax()) != target:
                    break
        scores = hotflip_scores(model, ids, position, target)
        if once:
            scores[used] = float("-inf")
        t, v = divmod(int(scores.flatten().argmax()), scores.shape[1])
        ids[t] = v
        used[t] = True
        flips += 1
    return ids, flips


@pitfall(replaces="hotflip_attack", why="spends the whole budget: keeps flipping after the prediction has already changed")
def never_stops_early(model: lm.CharGPT, idx: torch.Tensor, target: int, budget: int) -> tuple[torch.Tensor, int]:
    return _attack(model, idx, target, budget, check_first=False)


@pitfall(replaces="hotflip_attack", why="may flip the same position again in a later round")
def reflips_positions(model: lm.CharGPT, idx: torch.Tensor, target: int, budget: int) -> tuple[torch.Tensor, int]:
    return _attack(model, idx, target, budget, once=False)


@pitfall(replaces="hotflip_attack", why="modifies the caller's ids in place instead of a copy")
def in_place(model: lm.CharGPT, idx: torch.Tensor, target: int, budget: int) -> tuple[torch.Tensor, int]:
    ids, flips = _attack(model, idx, target, budget)
    idx.copy_(ids)
    return idx, flips
