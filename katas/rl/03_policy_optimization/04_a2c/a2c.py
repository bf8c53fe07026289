"""rl-03-4: synchronous advantage actor-critic (A2C). Edit this file; `grader check rl-03-4` tests it."""
from __future__ import annotations

import gymnasium as gym
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
    """Bootstrapped n-step return targets of a (T, N) rollout of N synchronous environments.

        R_t = r_t + gamma * (1 - done_t) * R_{t+1},    R_T = last_values (the value of the state after the rollout)

    done_t ends the episode at step t: the sum stops there (the next row of that column starts a new
    episode). Inputs are not modified; the result has rewards' dtype.

    Raises:
        ValueError: rewards not (T, N), dones not of rewards' shape, or last_values not (N,).

    Shapes:
        rewards, dones: (T, N); last_values: (N,)
        returns: (T, N)
    """
    raise NotImplementedError("n_step_targets: one backward pass from last_values")


def a2c_loss(logits: torch.Tensor, actions: torch.Tensor, values: torch.Tensor, returns: torch.Tensor,
             vf_coef: float = 0.5, ent_coef: float = 0.01) -> dict[str, torch.Tensor]:
    """The A2C loss on a flattened rollout, as a dict of scalar tensors:

        advantage = (returns - values), detached        (the policy term sends no gradient to the critic)
        policy    = -mean( log softmax(logits)[i, actions[i]] * advantage[i] )
        value     = 0.5 * mean( (returns - values)^2 )
        entropy   = mean entropy of softmax(logits)
        loss      = policy + vf_coef * value - ent_coef * entropy

    Keys "loss", "policy", "value", "entropy". Inputs are not modified.

    Shapes:
        logits: (B, n_actions); actions, values, returns: (B,)
    """
    raise NotImplementedError("a2c_loss: actor term with a detached advantage, critic MSE, entropy bonus")


def train_a2c(env_id: str, n_envs: int, n_steps: int, updates: int, seed: int, lr: float = 7e-3,
              gamma: float = 0.99, vf_coef: float = 0.5, ent_coef: float = 0.01) -> tuple[nn.Module, list[float]]:
    """Train an ActorCritic with A2C; return it and the returns of the episodes finished, in order
    (episodes that end on the same step in env order).

    env_id names an environment with 1-D float32 Box observations and Discrete actions (CartPole-v1
    in the tests). torch.manual_seed(seed) before building ActorCritic(obs_dim, n_actions) (default hidden); envs = make_envs(env_id, n_envs, seed), first
    obs from envs.reset(seed=seed); a torch.Generator().manual_seed(seed) samples the actions
    (torch.multinomial on softmax(logits)). Each update: n_steps synchronous steps of all envs
    (done = terminated | truncated; an ended env resets in the same step), then n_step_targets
    bootstrapped from the critic's value of the final observations, a2c_loss on the flattened
    (n_steps * n_envs) batch recomputed with gradients, one step of a torch.optim.Adam(lr) (default
    betas and eps) created once before the first update. Same seed, same run.
    """
    raise NotImplementedError("train_a2c: collect a rollout, compute targets, one gradient step, repeat")
