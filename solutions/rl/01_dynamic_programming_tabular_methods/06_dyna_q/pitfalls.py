"""Plausible wrong versions of Dyna-Q that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import gymnasium as gym
import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from dyna_q import TabularModel, epsilon_greedy, q_update


@pitfall(replaces="TabularModel", why="stores every visit, so planning samples frequently visited pairs more often")
class VisitWeightedModel:
    def __init__(self) -> None:
        self.visits: list[tuple[int, int, float, int, bool]] = []
        self.outcome: dict[tuple[int, int], tuple[float, int, bool]] = {}

    def update(self, s: int, a: int, r: float, s_next: int, terminated: bool) -> None:
        self.visits.append((s, a, float(r), int(s_next), bool(terminated)))
        self.outcome[(s, a)] = (float(r), int(s_next), bool(terminated))

    def __len__(self) -> int:
        return len(self.outcome)

    def sample(self, rng: np.random.Generator) -> tuple[int, int, float, int, bool]:
        if not self.visits:
            raise ValueError("empty")
        s, a = self.visits[int(rng.integers(len(self.visits)))][:2]
        return (s, a, *self.outcome[(s, a)])


@pitfall(replaces="TabularModel.update", why="keeps the first outcome seen for (s, a) instead of the latest")
def keeps_first(self: TabularModel, s: int, a: int, r: float, s_next: int, terminated: bool) -> None:
    if (s, a) not in self.outcome:
        self.pairs.append((s, a))
        self.outcome[(s, a)] = (float(r), int(s_next), bool(terminated))


@pitfall(replaces="TabularModel.sample", why="samples the most recently observed pair last-in-first (no randomness)")
def most_recent(self: TabularModel, rng: np.random.Generator) -> tuple[int, int, float, int, bool]:
    if not self.pairs:
        raise ValueError("empty")
    s, a = self.pairs[-1]
    return (s, a, *self.outcome[(s, a)])


def _dyna(env: gym.Env, episodes: int, n_planning: int, alpha: float, gamma: float, epsilon: float, seed: int,
          plan_first: bool = False, forget_terminal: bool = False, own_rng: bool = False) -> tuple[np.ndarray, list[int]]:
    if n_planning < 0:
        raise ValueError("n_planning")
    rng = np.random.default_rng(seed)
    plan_rng = np.random.default_rng() if own_rng else rng
    Q = np.zeros((env.observation_space.n, env.action_space.n))
    model = TabularModel()
    steps = []
    for episode in range(episodes):
        s, _ = env.reset(seed=seed if episode == 0 else None)
        n = 0
        while True:
            a = epsilon_greedy(Q[s], epsilon, rng)
            s_next, r, terminated, truncated, _ = env.step(a)
            n += 1
            if plan_first:
                for _ in range(n_planning if len(model) else 0):
                    q_update(Q, *model.sample(plan_rng), alpha, gamma)
            q_update(Q, s, a, float(r), int(s_next), terminated, alpha, gamma)
            model.update(s, a, float(r), int(s_next), False if forget_terminal else terminated)
            if not plan_first:
                for _ in range(n_planning):
                    q_update(Q, *model.sample(plan_rng), alpha, gamma)
            if terminated or truncated:
                break
            s = int(s_next)
        steps.append(n)
    return Q, steps


@pitfall(replaces="dyna_q", why="plans before the real update and before the model has seen the new step")
def plans_first(env: gym.Env, episodes: int, n_planning: int, alpha: float, gamma: float, epsilon: float,
                seed: int) -> tuple[np.ndarray, list[int]]:
    return _dyna(env, episodes, n_planning, alpha, gamma, epsilon, seed, plan_first=True)


@pitfall(replaces="dyna_q", why="the model forgets `terminated`, so planning bootstraps past the goal")
def model_forgets_terminal(env: gym.Env, episodes: int, n_planning: int, alpha: float, gamma: float,
                           epsilon: float, seed: int) -> tuple[np.ndarray, list[int]]:
    return _dyna(env, episodes, n_planning, alpha, gamma, epsilon, seed, forget_terminal=True)


@pitfall(replaces="dyna_q", why="planning draws from an unseeded generator, so runs are not reproducible")
def unseeded_planning(env: gym.Env, episodes: int, n_planning: int, alpha: float, gamma: float,
                      epsilon: float, seed: int) -> tuple[np.ndarray, list[int]]:
    return _dyna(env, episodes, n_planning, alpha, gamma, epsilon, seed, own_rng=True)


@pitfall(replaces="dyna_q", why="one planning update too many per real step (range(n_planning + 1))")
def one_extra_planning_step(env: gym.Env, episodes: int, n_planning: int, alpha: float, gamma: float,
                            epsilon: float, seed: int) -> tuple[np.ndarray, list[int]]:
    return _dyna(env, episodes, n_planning + 1, alpha, gamma, epsilon, seed)
