"""Reference solution for nlp-38-2."""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from scipy.optimize import minimize


def _fit_logits(ref_logits: np.ndarray, chosen: np.ndarray, rejected: np.ndarray, beta: float,
                with_reference: bool) -> np.ndarray:
    ref = torch.log_softmax(torch.as_tensor(ref_logits, dtype=torch.float64), -1) if with_reference else None
    c, r = torch.as_tensor(chosen), torch.as_tensor(rejected)

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        t = torch.tensor(theta, requires_grad=True)
        logp = torch.log_softmax(t, -1)
        margin = (logp[c] - logp[r]) if ref is None else (logp[c] - ref[c]) - (logp[r] - ref[r])
        loss = -F.logsigmoid(beta * margin).mean()
        loss.backward()
        return loss.item(), t.grad.numpy()

    x0 = np.asarray(ref_logits, dtype=np.float64)
    return minimize(objective, x0, jac=True, method="L-BFGS-B", options={"gtol": 1e-12, "ftol": 1e-15}).x


def dpo_policy(ref_logits: np.ndarray, chosen: np.ndarray, rejected: np.ndarray, beta: float) -> np.ndarray:
    """The DPO-trained bandit policy's logits (the converged fit of nlp-38-3)."""
    return _fit_logits(ref_logits, chosen, rejected, beta, with_reference=True)


def fit_reward_model(n_responses: int, chosen: np.ndarray, rejected: np.ndarray) -> np.ndarray:
    """Bradley-Terry maximum-likelihood reward per response (centred), the reward model PPO optimises."""
    s = _fit_logits(np.zeros(n_responses), chosen, rejected, 1.0, with_reference=False)
    return s - s.mean()


def ppo_clip_objective(logp_new: torch.Tensor, logp_old: torch.Tensor, advantages: torch.Tensor,
                       clip_eps: float = 0.2) -> torch.Tensor:
    if clip_eps <= 0:
        raise ValueError(f"clip_eps must be positive, got {clip_eps}")
    ratio = torch.exp(logp_new - logp_old)
    clipped = ratio.clamp(1 - clip_eps, 1 + clip_eps)
    return -torch.minimum(ratio * advantages, clipped * advantages).mean()


def kl_penalised_advantages(rewards: torch.Tensor, logp: torch.Tensor, ref_logp: torch.Tensor,
                            beta: float) -> torch.Tensor:
    shaped = rewards - beta * (logp - ref_logp)
    return shaped - shaped.mean()


def train_ppo_bandit(ref_logits: np.ndarray, reward: np.ndarray, beta: float, seed: int, iterations: int = 100,
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
            logp_old = torch.log_softmax(theta, -1)
            y = torch.multinomial(logp_old.exp(), batch, replacement=True, generator=g)
            adv = kl_penalised_advantages(r[y], logp_old[y], ref[y], beta)
        for _ in range(epochs):
            loss = ppo_clip_objective(torch.log_softmax(theta, -1)[y], logp_old[y], adv, clip_eps)
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            curve.append((torch.softmax(theta, -1) * r).sum().item())
    return theta.detach().numpy(), np.array(curve), iterations * batch
