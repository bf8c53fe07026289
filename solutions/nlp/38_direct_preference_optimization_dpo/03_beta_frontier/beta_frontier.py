"""Reference solution for nlp-38-3."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from scipy.optimize import minimize


def dpo_loss(policy_chosen: torch.Tensor, policy_rejected: torch.Tensor, ref_chosen: torch.Tensor,
             ref_rejected: torch.Tensor, beta: float) -> torch.Tensor:
    """Mean DPO loss -log sigmoid(beta * ((pi_c - ref_c) - (pi_r - ref_r))) (the loss of nlp-38-1)."""
    return -F.logsigmoid(beta * ((policy_chosen - ref_chosen) - (policy_rejected - ref_rejected))).mean()


def categorical_kl(logits: np.ndarray, ref_logits: np.ndarray) -> float:
    logp = logits - np.logaddexp.reduce(logits)
    logq = ref_logits - np.logaddexp.reduce(ref_logits)
    return float((np.exp(logp) * (logp - logq)).sum())


def train_dpo_policy(ref_logits: np.ndarray, chosen: np.ndarray, rejected: np.ndarray, beta: float) -> np.ndarray:
    if beta <= 0:
        raise ValueError(f"beta must be positive, got {beta}")
    if len(chosen) != len(rejected):
        raise ValueError("chosen and rejected differ in length")
    ref = torch.log_softmax(torch.as_tensor(ref_logits), -1)
    c, r = torch.as_tensor(chosen), torch.as_tensor(rejected)

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        t = torch.tensor(theta, requires_grad=True)
        logp = torch.log_softmax(t, -1)
        loss = dpo_loss(logp[c], logp[r], ref[c], ref[r], beta)
        loss.backward()
        return loss.item(), t.grad.numpy()

    res = minimize(objective, ref_logits, jac=True, method="L-BFGS-B", options={"gtol": 1e-12, "ftol": 1e-15})
    return res.x


def reward_kl_frontier(ref_logits: np.ndarray, true_rewards: np.ndarray, chosen: np.ndarray, rejected: np.ndarray,
                       betas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rewards, kls = [], []
    for beta in betas:
        logits = train_dpo_policy(ref_logits, chosen, rejected, float(beta))
        probs = np.exp(logits - np.logaddexp.reduce(logits))
        rewards.append(float(probs @ true_rewards))
        kls.append(categorical_kl(logits, ref_logits))
    return np.array(rewards), np.array(kls)


def pareto_front(rewards: np.ndarray, kls: np.ndarray) -> np.ndarray:
    dominated = [((kls <= kls[i]) & (rewards >= rewards[i]) & ((kls < kls[i]) | (rewards > rewards[i]))).any()
                 for i in range(len(rewards))]
    keep = np.flatnonzero(~np.array(dominated, dtype=bool))
    return keep[np.lexsort((keep, kls[keep]))]


def plot_frontier(rewards: np.ndarray, kls: np.ndarray, betas: np.ndarray) -> Figure:
    fig, ax = plt.subplots()
    ax.plot(kls, rewards, marker="o")
    for k, r, b in zip(kls, rewards, betas, strict=True):
        ax.annotate(f"β={b:g}", (k, r))
    ax.set_xlabel("KL(π ‖ π_ref)")
    ax.set_ylabel("expected true reward")
    return fig
