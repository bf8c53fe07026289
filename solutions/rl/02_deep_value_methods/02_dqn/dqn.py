"""Reference solution for rl-02-2."""
from __future__ import annotations

import gymnasium as gym
import numpy as np
import torch
from torch import nn

BATCH_SIZE, BUFFER_SIZE = 64, 10_000
EPS_START, EPS_END, EPS_DECAY_STEPS = 1.0, 0.05, 1000


def make_q_net(obs_dim: int, n_actions: int, hidden: int = 64) -> nn.Module:
    """A small MLP Q-network (given). Seed torch before calling it for reproducible weights."""
    return nn.Sequential(nn.Linear(obs_dim, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                         nn.Linear(hidden, n_actions))


def greedy_return(q_net: nn.Module, env: gym.Env, seed: int, episodes: int = 3) -> float:
    """Mean undiscounted return of the greedy policy argmax_a Q(s, a) over a few seeded episodes (given)."""
    total = 0.0
    for i in range(episodes):
        obs, _ = env.reset(seed=seed + i)
        while True:
            with torch.no_grad():
                a = int(q_net(torch.as_tensor(obs, dtype=torch.float32)).argmax())
            obs, r, terminated, truncated, _ = env.step(a)
            total += float(r)
            if terminated or truncated:
                break
    return total / episodes


def huber_loss(pred: torch.Tensor, target: torch.Tensor, delta: float = 1.0) -> torch.Tensor:
    if delta <= 0:
        raise ValueError(f"delta must be positive, got {delta}")
    err = pred - target
    abs_err = err.abs()
    quad = 0.5 * err**2
    lin = delta * (abs_err - 0.5 * delta)
    return torch.where(abs_err <= delta, quad, lin).mean()


def dqn_targets(rewards: torch.Tensor, next_q_target: torch.Tensor, terminated: torch.Tensor,
                gamma: float) -> torch.Tensor:
    not_done = 1.0 - terminated.to(next_q_target.dtype)
    return rewards.to(next_q_target.dtype) + gamma * not_done * next_q_target.max(dim=1).values


def hard_update(target: nn.Module, online: nn.Module) -> None:
    with torch.no_grad():
        for t, o in zip(target.parameters(), online.parameters(), strict=True):
            t.copy_(o)


def soft_update(target: nn.Module, online: nn.Module, tau: float) -> None:
    if not 0.0 <= tau <= 1.0:
        raise ValueError(f"tau must be in [0, 1], got {tau}")
    with torch.no_grad():
        for t, o in zip(target.parameters(), online.parameters(), strict=True):
            t.mul_(1.0 - tau).add_(tau * o)


def dqn_loss(q_net: nn.Module, target_net: nn.Module, batch: dict[str, torch.Tensor], gamma: float,
             delta: float = 1.0) -> torch.Tensor:
    q = q_net(batch["obs"]).gather(1, batch["actions"].long().unsqueeze(1)).squeeze(1)
    with torch.no_grad():
        y = dqn_targets(batch["rewards"], target_net(batch["next_obs"]), batch["terminated"], gamma)
    return huber_loss(q, y, delta)


def train_dqn(env: gym.Env, steps: int, seed: int, gamma: float = 0.99, lr: float = 1e-3,
              target_every: int = 250, learning_starts: int = 500) -> nn.Module:
    batch_size, buffer_size = BATCH_SIZE, BUFFER_SIZE
    eps_start, eps_end, eps_decay_steps = EPS_START, EPS_END, EPS_DECAY_STEPS
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    obs_dim, n_actions = env.observation_space.shape[0], env.action_space.n
    q_net, target_net = make_q_net(obs_dim, n_actions), make_q_net(obs_dim, n_actions)
    hard_update(target_net, q_net)
    opt = torch.optim.Adam(q_net.parameters(), lr=lr)
    buf_obs = np.zeros((buffer_size, obs_dim), dtype=np.float32)
    buf_next = np.zeros((buffer_size, obs_dim), dtype=np.float32)
    buf_a = np.zeros(buffer_size, dtype=np.int64)
    buf_r = np.zeros(buffer_size, dtype=np.float32)
    buf_d = np.zeros(buffer_size, dtype=np.float32)
    size = 0
    obs, _ = env.reset(seed=seed)
    for t in range(steps):
        eps = max(eps_end, eps_start + (eps_end - eps_start) * t / eps_decay_steps)
        if rng.random() < eps:
            a = int(rng.integers(n_actions))
        else:
            with torch.no_grad():
                a = int(q_net(torch.as_tensor(obs, dtype=torch.float32)).argmax())
        nxt, r, terminated, truncated, _ = env.step(a)
        i = t % buffer_size
        buf_obs[i], buf_a[i], buf_r[i], buf_next[i], buf_d[i] = obs, a, r, nxt, terminated
        size = min(size + 1, buffer_size)
        obs = env.reset()[0] if terminated or truncated else nxt
        if t + 1 >= learning_starts:
            idx = rng.integers(size, size=batch_size)
            batch = {"obs": torch.from_numpy(buf_obs[idx]), "actions": torch.from_numpy(buf_a[idx]),
                     "rewards": torch.from_numpy(buf_r[idx]), "next_obs": torch.from_numpy(buf_next[idx]),
                     "terminated": torch.from_numpy(buf_d[idx])}
            loss = dqn_loss(q_net, target_net, batch, gamma)
            opt.zero_grad()
            loss.backward()
            opt.step()
        if (t + 1) % target_every == 0:
            hard_update(target_net, q_net)
    return q_net
