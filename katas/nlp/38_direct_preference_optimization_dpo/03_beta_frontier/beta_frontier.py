"""nlp-38-3: DPO's β and the reward-KL frontier. Edit this file; `grader check nlp-38-3` tests it."""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure


def dpo_loss(policy_chosen: torch.Tensor, policy_rejected: torch.Tensor, ref_chosen: torch.Tensor,
             ref_rejected: torch.Tensor, beta: float) -> torch.Tensor:
    """Mean DPO loss -log sigmoid(beta * ((pi_c - ref_c) - (pi_r - ref_r))) (the loss of nlp-38-1)."""
    return -F.logsigmoid(beta * ((policy_chosen - ref_chosen) - (policy_rejected - ref_rejected))).mean()


def categorical_kl(logits: np.ndarray, ref_logits: np.ndarray) -> float:
    """KL(π ‖ π_ref) = sum_y π(y) log(π(y) / π_ref(y)) for π = softmax(logits), π_ref = softmax(ref_logits).

    Shapes:
        logits, ref_logits: (K,)
        returns: float (nats)
    """
    raise NotImplementedError("categorical_kl: log-softmax both, then the expectation under π")


def train_dpo_policy(ref_logits: np.ndarray, chosen: np.ndarray, rejected: np.ndarray, beta: float) -> np.ndarray:
    """Train a policy over K responses (a bandit: one logit per response) with DPO, to convergence.

    Start from the reference logits and minimise dpo_loss over the logits θ, with
    log π = log_softmax(θ) and log π_ref = log_softmax(ref_logits), on the pairs
    (chosen[i] preferred to rejected[i]). The loss is convex in θ; return the minimiser (logits are
    defined up to an additive constant: only softmax(θ) is compared). Inputs are not modified.

    Shapes:
        ref_logits: (K,), chosen, rejected: (N,) int response indices
        returns: (K,) float64 logits

    Raises:
        ValueError: if beta <= 0 or chosen and rejected differ in length.
    """
    raise NotImplementedError("train_dpo_policy: minimise the DPO loss over the K logits")


def reward_kl_frontier(ref_logits: np.ndarray, true_rewards: np.ndarray, chosen: np.ndarray, rejected: np.ndarray,
                       betas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each beta, the DPO policy's expected true reward sum_y π(y) r(y) and its KL(π ‖ π_ref).

    Shapes:
        ref_logits, true_rewards: (K,), chosen, rejected: (N,), betas: (B,)
        returns: (expected_rewards (B,), kls (B,))
    """
    raise NotImplementedError("reward_kl_frontier: train per beta, measure reward and KL")


def pareto_front(rewards: np.ndarray, kls: np.ndarray) -> np.ndarray:
    """Indices of the points no other point dominates, sorted by KL, ties by index.

    Point j dominates i if kls[j] <= kls[i] and rewards[j] >= rewards[i], one of them strictly.
    Equal points do not dominate each other.

    Shapes:
        rewards, kls: (B,)
        returns: (F,) int
    """
    raise NotImplementedError("pareto_front: keep the non-dominated points")


def plot_frontier(rewards: np.ndarray, kls: np.ndarray, betas: np.ndarray) -> Figure:
    """The frontier as one line through the points, KL on the x axis and expected reward on the y axis,
    each point annotated with its β (one text per point); both axes labelled."""
    raise NotImplementedError("plot_frontier: KL against reward, annotated by beta")
