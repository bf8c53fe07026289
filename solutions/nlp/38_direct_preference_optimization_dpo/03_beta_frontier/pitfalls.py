"""Plausible wrong versions of the β-sweep functions that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from beta_frontier import dpo_loss, train_dpo_policy


@pitfall(replaces="categorical_kl", why="KL the wrong way round: KL(π_ref ‖ π)")
def reversed_kl(logits: np.ndarray, ref_logits: np.ndarray) -> float:
    logp = logits - np.logaddexp.reduce(logits)
    logq = ref_logits - np.logaddexp.reduce(ref_logits)
    return float((np.exp(logq) * (logq - logp)).sum())


@pitfall(replaces="categorical_kl", why="uses the raw logits as log-probabilities (no log-softmax)")
def unnormalised(logits: np.ndarray, ref_logits: np.ndarray) -> float:
    p = np.exp(logits - np.logaddexp.reduce(logits))
    return float((p * (logits - ref_logits)).sum())


@pitfall(replaces="train_dpo_policy", why="a fixed 50 Adam steps: far from converged at small beta")
def few_adam_steps(ref_logits: np.ndarray, chosen: np.ndarray, rejected: np.ndarray, beta: float) -> np.ndarray:
    if beta <= 0 or len(chosen) != len(rejected):
        raise ValueError("bad input")
    ref = torch.log_softmax(torch.as_tensor(ref_logits, dtype=torch.float64), -1)
    theta = torch.tensor(ref_logits, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([theta], lr=0.05)
    c, r = torch.as_tensor(chosen), torch.as_tensor(rejected)
    for _ in range(50):
        logp = torch.log_softmax(theta, -1)
        loss = dpo_loss(logp[c], logp[r], ref[c], ref[r], beta)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return theta.detach().numpy()


@pitfall(replaces="train_dpo_policy", why="drops the reference log-probs from the loss: the policy is exp(s/β), not π_ref·exp(s/β)")
def no_reference(ref_logits: np.ndarray, chosen: np.ndarray, rejected: np.ndarray, beta: float) -> np.ndarray:
    zeros = np.zeros_like(np.asarray(ref_logits, dtype=np.float64))
    return train_dpo_policy(zeros, chosen, rejected, beta) if beta > 0 else train_dpo_policy(ref_logits, chosen, rejected, beta)


@pitfall(replaces="reward_kl_frontier", why="reports the policy's implicit reward mean instead of the true reward")
def implicit_reward(ref_logits: np.ndarray, true_rewards: np.ndarray, chosen: np.ndarray, rejected: np.ndarray,
                    betas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rewards, kls = [], []
    ref = ref_logits - np.logaddexp.reduce(ref_logits)
    for beta in betas:
        logits = train_dpo_policy(ref_logits, chosen, rejected, float(beta))
        logp = logits - np.logaddexp.reduce(logits)
        rewards.append(float(np.exp(logp) @ (beta * (logp - ref))))
        kls.append(float((np.exp(logp) * (logp - ref)).sum()))
    return np.array(rewards), np.array(kls)


@pitfall(replaces="pareto_front", why="strict dominance only: a point with equal KL and lower reward survives")
def strict_dominance(rewards: np.ndarray, kls: np.ndarray) -> np.ndarray:
    keep = [i for i in range(len(rewards)) if not ((kls < kls[i]) & (rewards > rewards[i])).any()]
    keep = np.array(keep, dtype=np.int64)
    return keep[np.lexsort((keep, kls[keep]))]


@pitfall(replaces="pareto_front", why="returns the front in input order instead of sorted by KL")
def unsorted_front(rewards: np.ndarray, kls: np.ndarray) -> np.ndarray:
    return np.array([i for i in range(len(rewards)) if not ((kls <= kls[i]) & (rewards >= rewards[i])
                                                          & ((kls < kls[i]) | (rewards > rewards[i]))).any()],
                    dtype=np.int64)


@pitfall(replaces="plot_frontier", why="reward on the x axis and KL on the y axis")
def swapped_axes(rewards: np.ndarray, kls: np.ndarray, betas: np.ndarray) -> Figure:
    fig, ax = plt.subplots()
    ax.plot(rewards, kls, marker="o")
    for k, r, b in zip(kls, rewards, betas, strict=True):
        ax.annotate(f"β={b:g}", (r, k))
    ax.set_xlabel("expected reward")
    ax.set_ylabel("KL")
    return fig
