"""Reference solution for rl-03-4."""
from __future__ import annotations

import gymnasium as gym
import numpy as np
import torch
from torch import nn


class ActorCritic(nn.Module):
    """A shared-trunk actor-critic (given): forward(obs) -> (logits (B, n_actions), values (B,))."""

    def __init__(self, obs_dim: int, n_actions: int, hidden: int = 64) -> None:
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(obs_dim, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh())
        self.pi = nn.Linear(hidden, n_actions)
        self.v = nn.Linear(hidden, 1)

    def forward(self, obs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.trunk(obs)
        return self.pi(h), self.v(h).squeeze(-1)


def make_envs(env_id: str, n_envs: int, seed: int) -> gym.vector.VectorEnv:
    """n_envs copies stepped in lock-step, resetting the same step an episode ends (given)."""
    envs = gym.make_vec(env_id, num_envs=n_envs, vectorization_mode="sync",
                        vector_kwargs={"autoreset_mode": gym.vector.AutoresetMode.SAME_STEP})
    envs.reset(seed=seed)
    return envs


def n_step_targets(rewards: torch.Tensor, dones: torch.Tensor, last_values: torch.Tensor,
                   gamma: float) -> torch.Tensor:
    if rewards.dim() != 2 or dones.shape != rewards.shape or last_values.shape != rewards.shape[1:]:
        raise ValueError("expected rewards, dones (T, N) and last_values (N,)")
    out = torch.empty_like(rewards)
    nxt = last_values.to(rewards.dtype)
    for t in reversed(range(rewards.shape[0])):
        nxt = rewards[t] + gamma * (1.0 - dones[t].to(rewards.dtype)) * nxt
        out[t] = nxt
    return out


def a2c_loss(logits: torch.Tensor, actions: torch.Tensor, values: torch.Tensor, returns: torch.Tensor,
             vf_coef: float = 0.5, ent_coef: float = 0.01) -> dict[str, torch.Tensor]:
    log_p = torch.log_softmax(logits, -1)
    chosen = log_p.gather(1, actions.long().unsqueeze(1)).squeeze(1)
    advantage = (returns - values).detach()
    policy = -(chosen * advantage).mean()
    value = 0.5 * ((returns - values) ** 2).mean()
    entropy = -(log_p.exp() * log_p).sum(-1).mean()
    return {"loss": policy + vf_coef * value - ent_coef * entropy, "policy": policy, "value": value,
            "entropy": entropy}


def train_a2c(env_id: str, n_envs: int, n_steps: int, updates: int, seed: int, lr: float = 7e-3,
              gamma: float = 0.99, vf_coef: float = 0.5, ent_coef: float = 0.01) -> tuple[nn.Module, list[float]]:
    torch.manual_seed(seed)
    envs = make_envs(env_id, n_envs, seed)
    obs, _ = envs.reset(seed=seed)
    model = ActorCritic(envs.single_observation_space.shape[0], envs.single_action_space.n)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    finished, running = [], np.zeros(n_envs)
    for _ in range(updates):
        all_obs, all_actions, all_rewards, all_dones = [], [], [], []
        for _ in range(n_steps):
            o = torch.as_tensor(obs, dtype=torch.float32)
            with torch.no_grad():
                logits, _ = model(o)
            a = torch.multinomial(torch.softmax(logits, -1), 1, generator=gen).squeeze(1)
            obs, r, term, trunc, _ = envs.step(a.numpy())
            running += r
            done = term | trunc
            for i in np.flatnonzero(done):
                finished.append(float(running[i]))
                running[i] = 0.0
            all_obs.append(o)
            all_actions.append(a)
            all_rewards.append(torch.as_tensor(r, dtype=torch.float32))
            all_dones.append(torch.as_tensor(done))
        with torch.no_grad():
            _, last_v = model(torch.as_tensor(obs, dtype=torch.float32))
        returns = n_step_targets(torch.stack(all_rewards), torch.stack(all_dones), last_v, gamma)
        logits, values = model(torch.cat(all_obs))
        out = a2c_loss(logits, torch.cat(all_actions), values, returns.reshape(-1), vf_coef, ent_coef)
        opt.zero_grad()
        out["loss"].backward()
        opt.step()
    envs.close()
    return model, finished
