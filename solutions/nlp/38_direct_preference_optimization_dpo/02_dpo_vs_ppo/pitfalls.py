"""Plausible wrong versions of the PPO functions that the tests must reject."""
from __future__ import annotations

import numpy as np
import torch

from grader.pitfalls import pitfall


@pitfall(replaces="ppo_clip_objective", why="clips the ratio but drops the pessimistic minimum with the unclipped term")
def clip_only(logp_new: torch.Tensor, logp_old: torch.Tensor, advantages: torch.Tensor,
              clip_eps: float = 0.2) -> torch.Tensor:
    if clip_eps <= 0:
        raise ValueError("bad clip_eps")
    return -(torch.exp(logp_new - logp_old).clamp(1 - clip_eps, 1 + clip_eps) * advantages).mean()


@pitfall(replaces="ppo_clip_objective", why="maximum instead of minimum: optimistic, the clip never binds")
def optimistic(logp_new: torch.Tensor, logp_old: torch.Tensor, advantages: torch.Tensor,
               clip_eps: float = 0.2) -> torch.Tensor:
    if clip_eps <= 0:
        raise ValueError("bad clip_eps")
    ratio = torch.exp(logp_new - logp_old)
    return -torch.maximum(ratio * advantages, ratio.clamp(1 - clip_eps, 1 + clip_eps) * advantages).mean()


@pitfall(replaces="ppo_clip_objective", why="ratio logp_new / logp_old instead of exp(logp_new - logp_old)")
def ratio_of_logs(logp_new: torch.Tensor, logp_old: torch.Tensor, advantages: torch.Tensor,
                  clip_eps: float = 0.2) -> torch.Tensor:
    if clip_eps <= 0:
        raise ValueError("bad clip_eps")
    ratio = logp_new / logp_old
    return -torch.minimum(ratio * advantages, ratio.clamp(1 - clip_eps, 1 + clip_eps) * advantages).mean()


@pitfall(replaces="kl_penalised_advantages", why="no baseline: the raw shaped reward is used as the advantage")
def no_baseline(rewards: torch.Tensor, logp: torch.Tensor, ref_logp: torch.Tensor, beta: float) -> torch.Tensor:
    return rewards - beta * (logp - ref_logp)


@pitfall(replaces="kl_penalised_advantages", why="KL penalty with the wrong sign: rewards moving away from the reference")
def kl_bonus(rewards: torch.Tensor, logp: torch.Tensor, ref_logp: torch.Tensor, beta: float) -> torch.Tensor:
    shaped = rewards + beta * (logp - ref_logp)
    return shaped - shaped.mean()


@pitfall(replaces="train_ppo_bandit", why="recomputes logp_old inside every epoch: the ratio is always 1 and the clip never acts")
def stale_old_logp(ref_logits: np.ndarray, reward: np.ndarray, beta: float, seed: int, iterations: int = 100,
                   batch: int = 64, epochs: int = 4, lr: float = 0.05,
                   clip_eps: float = 0.2) -> tuple[np.ndarray, np.ndarray, int]:
    g = torch.Generator().manual_seed(seed)
    ref = torch.log_softmax(torch.as_tensor(ref_logits, dtype=torch.float64), -1)
    r = torch.as_tensor(reward, dtype=torch.float64)
    theta = torch.tensor(ref_logits, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([theta], lr=lr)
    curve = []
    for _ in range(iterations):
        with torch.no_grad():
            logp0 = torch.log_softmax(theta, -1)
            y = torch.multinomial(logp0.exp(), batch, replacement=True, generator=g)
            shaped = r[y] - beta * (logp0[y] - ref[y])
            adv = shaped - shaped.mean()
        for _ in range(epochs):
            logp = torch.log_softmax(theta, -1)
            ratio = torch.exp(logp[y] - logp[y].detach())
            loss = -torch.minimum(ratio * adv, ratio.clamp(1 - clip_eps, 1 + clip_eps) * adv).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        curve.append((torch.softmax(theta, -1) * r).sum().item())
    return theta.detach().numpy().copy(), np.array(curve), iterations * batch


@pitfall(replaces="train_ppo_bandit", why="samples with the global torch RNG: the seed is ignored")
def global_rng(ref_logits: np.ndarray, reward: np.ndarray, beta: float, seed: int, iterations: int = 100,
               batch: int = 64, epochs: int = 4, lr: float = 0.05,
               clip_eps: float = 0.2) -> tuple[np.ndarray, np.ndarray, int]:
    ref = torch.log_softmax(torch.as_tensor(ref_logits, dtype=torch.float64), -1)
    r = torch.as_tensor(reward, dtype=torch.float64)
    theta = torch.tensor(ref_logits, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([theta], lr=lr)
    curve = []
    for _ in range(iterations):
        with torch.no_grad():
            old = torch.log_softmax(theta, -1)
            y = torch.multinomial(old.exp(), batch, replacement=True)
            shaped = r[y] - beta * (old[y] - ref[y])
            adv = shaped - shaped.mean()
        for _ in range(epochs):
            ratio = torch.exp(torch.log_softmax(theta, -1)[y] - old[y])
            loss = -torch.minimum(ratio * adv, ratio.clamp(1 - clip_eps, 1 + clip_eps) * adv).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        curve.append((torch.softmax(theta, -1) * r).sum().item())
    return theta.detach().numpy().copy(), np.array(curve), iterations * batch
