"""rl-05-4: the options framework, SMDP Q-learning over options. Edit this file; `grader check rl-05-4` tests it."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import gymnasium as gym
import numpy as np


@dataclass(frozen=True)
class Option:
    """A (Markov in (state, steps so far)) option: which primitive action to take, and when to stop (given).

    action(s, t): the primitive action at state s after t steps of the option (t = 0 first).
    stop(s, t): after t >= 1 steps, landing in s: does the option end here?
    """

    action: Callable[[int, int], int]
    stop: Callable[[int, int], bool]


def repeat(action: int, k: int) -> Option:
    """The option 'take `action` k times' (given); k = 1 is the primitive action itself."""
    return Option(lambda s, t: action, lambda s, t: t >= k)


def run_option(env: gym.Env, s: int, option: Option, gamma: float) -> tuple[int, float, int, bool, bool]:
    """Execute an option from state s until it stops or the episode ends.

    Step t = 0, 1, ...: a = option.action(s, t); s, r, terminated, truncated = env.step(a);
    R += gamma**t * r; after the step (t + 1 steps done) stop if terminated, truncated or
    option.stop(s, t + 1).

    Returns:
        (s_next, R, tau, terminated, truncated): the landing state, the discounted reward collected
        inside the option, its duration tau (number of primitive steps), and the episode flags.
    """
    raise NotImplementedError("run_option: step the primitive actions, discounting as you go")


def smdp_q_update(Q: np.ndarray, s: int, o: int, R: float, s_next: int, tau: int, terminated: bool, alpha: float,
                  gamma: float) -> float:
    """The SMDP Q-learning update, in place:

        target = R                                     if terminated
                 R + gamma**tau * max_o' Q[s_next, o']  otherwise
        delta = target - Q[s, o];   Q[s, o] += alpha * delta

    Returns delta (before the update). Only Q[s, o] changes.
    """
    raise NotImplementedError("smdp_q_update: bootstrap with gamma to the power of the option's duration")


def smdp_q_learning(env: gym.Env, options: list[Option], episodes: int, alpha: float, gamma: float, epsilon: float,
                    seed: int) -> np.ndarray:
    """Q-learning over options: Q has shape (n_states, len(options)), zeros at first.

    rng = np.random.default_rng(seed); env.reset(seed=seed) for the first episode, env.reset() after.
    In each state choose an option epsilon-greedily (rng.random() < epsilon: rng.integers(n_options);
    else a uniformly drawn argmax: best[rng.integers(len(best))]), run it, apply smdp_q_update
    (passing `terminated`), and stop the episode on terminated or truncated.
    """
    raise NotImplementedError("smdp_q_learning: choose options, run them, update Q over options")
