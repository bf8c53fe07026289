"""nlp-38-2: DPO against PPO on the same preferences. Edit this file; `grader check nlp-38-2` tests it."""
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
    """PPO's clipped surrogate, as a loss to minimise.

    With ratio = exp(logp_new - logp_old): -mean(min(ratio * A, clip(ratio, 1 - clip_eps, 1 + clip_eps) * A)).
    Differentiable in logp_new; the dtype of the inputs.

    Shapes:
        logp_new, logp_old, advantages: (B,)
        returns: ()

    Raises:
        ValueError: if clip_eps <= 0.
    """
    raise NotImplementedError("ppo_clip_objective: ratio, clip, pessimistic minimum, negate the mean")


def kl_penalised_advantages(rewards: torch.Tensor, logp: torch.Tensor, ref_logp: torch.Tensor,
                            beta: float) -> torch.Tensor:
    """Per-sample rewards shaped by the KL penalty, centred by the batch mean (the baseline).

    shaped = rewards - beta * (logp - ref_logp); returns shaped - mean(shaped).

    Shapes:
        rewards, logp, ref_logp: (B,)
        returns: (B,)
    """
    raise NotImplementedError("kl_penalised_advantages: penalise, then subtract the baseline")


def train_ppo_bandit(ref_logits: np.ndarray, reward: np.ndarray, beta: float, seed: int, iterations: int = 100,
                     batch: int = 64, epochs: int = 4, lr: float = 0.05,
                     clip_eps: float = 0.2) -> tuple[np.ndarray, np.ndarray, int]:
    """PPO with a KL penalty on a bandit of K responses, exactly as follows.

    g = torch.Generator().manual_seed(seed); θ = float64 copy of ref_logits (requires grad);
    opt = torch.optim.Adam([θ], lr=lr); log π_ref = log_softmax(ref_logits). Each iteration:
      1. without gradients: logp_old = log_softmax(θ); y = torch.multinomial(exp(logp_old), batch,
         replacement=True, generator=g); A = kl_penalised_advantages(reward[y], logp_old[y], log π_ref[y], beta)
      2. `epochs` times: loss = ppo_clip_objective(log_softmax(θ)[y], logp_old[y], A, clip_eps);
         zero the gradient, backward, opt.step()
      3. record E_π[reward] = sum softmax(θ) * reward.

    Returns:
        (final logits (K,) float64, expected reward after each iteration (iterations,), samples drawn
        = iterations * batch)
    """
    raise NotImplementedError("train_ppo_bandit: sample, shape the reward, a few clipped Adam epochs; repeat")
