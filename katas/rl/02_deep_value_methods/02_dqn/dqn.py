"""rl-02-2: DQN with a target network and Huber loss on CartPole. Edit this file; `grader check rl-02-2` tests it."""
from __future__ import annotations

import gymnasium as gym
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
    """Mean Huber loss: 0.5 e^2 where |e| <= delta, delta (|e| - delta / 2) beyond (e = pred - target).

    Inputs are not modified; the result has their dtype.

    Raises:
        ValueError: delta <= 0.

    Shapes:
        pred, target: (B,)
        returns: a scalar tensor (0-dim)
    """
    raise NotImplementedError("huber_loss: quadratic near zero, linear in the tails")


def dqn_targets(rewards: torch.Tensor, next_q_target: torch.Tensor, terminated: torch.Tensor,
                gamma: float) -> torch.Tensor:
    """y = r + gamma * (1 - terminated) * max_a Q_target(s', a).

    `terminated` is bool or 0/1 float. Inputs are not modified; the result has next_q_target's dtype.

    Shapes:
        rewards: (B,); next_q_target: (B, n_actions); terminated: (B,)
        returns: (B,)
    """
    raise NotImplementedError("dqn_targets: bootstrap from the best next action unless terminated")


def hard_update(target: nn.Module, online: nn.Module) -> None:
    """Copy the online network's parameters into the target network (copies: no shared storage)."""
    raise NotImplementedError("hard_update: copy every parameter under torch.no_grad()")


def soft_update(target: nn.Module, online: nn.Module, tau: float) -> None:
    """Polyak averaging, in place on target: theta_target <- tau * theta_online + (1 - tau) * theta_target.

    The online network is not changed.

    Raises:
        ValueError: tau outside [0, 1].
    """
    raise NotImplementedError("soft_update: blend each target parameter towards the online one")


def dqn_loss(q_net: nn.Module, target_net: nn.Module, batch: dict[str, torch.Tensor], gamma: float,
             delta: float = 1.0) -> torch.Tensor:
    """Huber loss between Q(s, a_taken) from q_net and DQN targets from target_net.

    batch: obs (B, obs_dim) float32, actions (B,) int64, rewards (B,) float32, next_obs (B, obs_dim)
    float32, terminated (B,) bool. The targets carry no gradient: after backward(), only q_net's
    parameters have gradients. The batch is not modified.

    Shapes:
        returns: a scalar tensor
    """
    raise NotImplementedError("dqn_loss: gather Q(s, a), compute targets without grad, Huber")


def train_dqn(env: gym.Env, steps: int, seed: int, gamma: float = 0.99, lr: float = 1e-3,
              target_every: int = 250, learning_starts: int = 500) -> nn.Module:
    """Train a DQN for `steps` environment steps and return the online Q-network.

    Seed everything from `seed`: torch.manual_seed(seed) before building the two networks with
    make_q_net (target = hard copy of online), np.random.default_rng(seed) for exploration and
    minibatches, env.reset(seed=seed) for the first episode (plain env.reset() after). Each step t:
    act epsilon-greedily (epsilon decays linearly from EPS_START to EPS_END over EPS_DECAY_STEPS
    steps, then stays), store the transition in a replay buffer of BUFFER_SIZE (store `terminated`,
    not truncated), reset when an episode ends; once t + 1 >= learning_starts, take one Adam(lr)
    step on dqn_loss of a uniform minibatch of BATCH_SIZE; every target_every steps, hard_update the
    target network. Same seed, same returned weights.
    """
    raise NotImplementedError("train_dqn: act, store, sample, learn, sync the target network")
