"""Plausible wrong RLHF pieces that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import torch
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from rlhf import (
        kl_penalized_rewards,
        ppo_clip_loss,
        response_logprobs,
        sample_responses,
        whitened_advantages,
    )


@pitfall(replaces="hack_reward_model", why="mode='sum': long responses earn more, the mean was asked for")
def reward_sums(vocab_size: int, liked: Sequence[int], disliked: Sequence[int]) -> nn.EmbeddingBag:
    model = nn.EmbeddingBag(vocab_size, 1, mode="sum")
    with torch.no_grad():
        model.weight.zero_()
        model.weight[list(liked)] = 1.0
        model.weight[list(disliked)] = -1.0
    return model


@pitfall(replaces="response_logprobs", why="reads the logits at position t for token t (no shift): the model sees its answer")
def logprobs_not_shifted(policy: nn.Module, tokens: torch.Tensor, prompt_len: int) -> torch.Tensor:
    logp = torch.log_softmax(policy(tokens)[:, prompt_len:].double(), dim=-1)
    return logp.gather(-1, tokens[:, prompt_len:, None]).squeeze(-1)


@pitfall(replaces="kl_penalized_rewards", why="adds the reward model's score at every token, not once at the end")
def score_every_token(scores: torch.Tensor, logp: torch.Tensor, logp_ref: torch.Tensor, beta: float) -> torch.Tensor:
    return -beta * (logp - logp_ref) + scores[:, None]


@pitfall(replaces="kl_penalized_rewards", why="KL term with the wrong sign: drifting away from the reference is rewarded")
def kl_bonus(scores: torch.Tensor, logp: torch.Tensor, logp_ref: torch.Tensor, beta: float) -> torch.Tensor:
    rewards = beta * (logp - logp_ref)
    rewards[:, -1] += scores
    return rewards


@pitfall(replaces="whitened_advantages", why="cumulative sum forwards: the reward so far, not the reward to go")
def reward_so_far(rewards: torch.Tensor) -> torch.Tensor:
    returns = rewards.cumsum(-1)
    return (returns - returns.mean()) / (returns.std() + 1e-8)


@pitfall(replaces="whitened_advantages", why="whitens each sequence separately instead of the whole batch")
def whitened_per_row(rewards: torch.Tensor) -> torch.Tensor:
    returns = rewards.flip(-1).cumsum(-1).flip(-1)
    return (returns - returns.mean(1, keepdim=True)) / (returns.std(1, keepdim=True).nan_to_num(0.0) + 1e-8)


@pitfall(replaces="ppo_clip_loss", why="max instead of min: the optimistic bound, nothing is ever clipped away")
def optimistic_max(logp_new: torch.Tensor, logp_old: torch.Tensor, advantages: torch.Tensor,
                   clip_eps: float = 0.2) -> torch.Tensor:
    ratio = torch.exp(logp_new - logp_old)
    return -torch.maximum(ratio * advantages, ratio.clamp(1 - clip_eps, 1 + clip_eps) * advantages).mean()


@pitfall(replaces="ppo_clip_loss", why="clips the advantage instead of the probability ratio")
def clips_advantage(logp_new: torch.Tensor, logp_old: torch.Tensor, advantages: torch.Tensor,
                    clip_eps: float = 0.2) -> torch.Tensor:
    ratio = torch.exp(logp_new - logp_old)
    return -torch.minimum(ratio * advantages, ratio * advantages.clamp(-clip_eps, clip_eps)).mean()


@pitfall(replaces="ppo_clip_loss", why="ratio upside down: exp(logp_old - logp_new)")
def ratio_inverted(logp_new: torch.Tensor, logp_old: torch.Tensor, advantages: torch.Tensor,
                   clip_eps: float = 0.2) -> torch.Tensor:
    ratio = torch.exp(logp_old - logp_new)
    return -torch.minimum(ratio * advantages, ratio.clamp(1 - clip_eps, 1 + clip_eps) * advantages).mean()


@pitfall(replaces="ppo_clip_loss", why="returns the objective itself (no minus sign): gradient descent lowers the reward")
def not_negated(logp_new: torch.Tensor, logp_old: torch.Tensor, advantages: torch.Tensor,
                clip_eps: float = 0.2) -> torch.Tensor:
    ratio = torch.exp(logp_new - logp_old)
    return torch.minimum(ratio * advantages, ratio.clamp(1 - clip_eps, 1 + clip_eps) * advantages).mean()


@pitfall(replaces="ppo_step", why="recomputes logp_old at every PPO epoch, so the ratio is always 1 and nothing is clipped")
def stale_old_logprobs(policy: nn.Module, ref_policy: nn.Module, optimizer: torch.optim.Optimizer,
                       reward_model: Callable[[torch.Tensor], torch.Tensor], prompts: torch.Tensor,
                       response_len: int, beta: float, clip_eps: float, ppo_epochs: int,
                       generator: torch.Generator) -> dict[str, float]:
    tokens = sample_responses(policy, prompts, response_len, generator)
    p = prompts.shape[1]
    with torch.no_grad():
        logp_first = response_logprobs(policy, tokens, p)
        logp_ref = response_logprobs(ref_policy, tokens, p)
        scores = reward_model(tokens[:, p:]).reshape(-1).to(logp_first.dtype)
        advantages = whitened_advantages(kl_penalized_rewards(scores, logp_first, logp_ref, beta))
    for _ in range(ppo_epochs):
        logp_new = response_logprobs(policy, tokens, p)
        loss = ppo_clip_loss(logp_new, logp_new.detach(), advantages, clip_eps)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {"reward": scores.mean().item(), "kl": (logp_first - logp_ref).sum(1).mean().item()}


@pitfall(replaces="ppo_step", why="measures the KL against the policy itself instead of the frozen reference")
def no_reference(policy: nn.Module, ref_policy: nn.Module, optimizer: torch.optim.Optimizer,
                 reward_model: Callable[[torch.Tensor], torch.Tensor], prompts: torch.Tensor, response_len: int,
                 beta: float, clip_eps: float, ppo_epochs: int, generator: torch.Generator) -> dict[str, float]:
    tokens = sample_responses(policy, prompts, response_len, generator)
    p = prompts.shape[1]
    with torch.no_grad():
        logp_old = response_logprobs(policy, tokens, p)
        scores = reward_model(tokens[:, p:]).reshape(-1).to(logp_old.dtype)
        advantages = whitened_advantages(kl_penalized_rewards(scores, logp_old, logp_old, beta))
    for _ in range(ppo_epochs):
        loss = ppo_clip_loss(response_logprobs(policy, tokens, p), logp_old, advantages, clip_eps)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {"reward": scores.mean().item(), "kl": 0.0}


@pitfall(replaces="ppo_step", why="calls ppo_clip_loss without clip_eps: always clips at the default 0.2")
def default_clip(policy: nn.Module, ref_policy: nn.Module, optimizer: torch.optim.Optimizer,
                 reward_model: Callable[[torch.Tensor], torch.Tensor], prompts: torch.Tensor, response_len: int,
                 beta: float, clip_eps: float, ppo_epochs: int, generator: torch.Generator) -> dict[str, float]:
    tokens = sample_responses(policy, prompts, response_len, generator)
    p = prompts.shape[1]
    with torch.no_grad():
        logp_old = response_logprobs(policy, tokens, p)
        logp_ref = response_logprobs(ref_policy, tokens, p)
        scores = reward_model(tokens[:, p:]).reshape(-1).to(logp_old.dtype)
        advantages = whitened_advantages(kl_penalized_rewards(scores, logp_old, logp_ref, beta))
    for _ in range(ppo_epochs):
        loss = ppo_clip_loss(response_logprobs(policy, tokens, p), logp_old, advantages)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {"reward": scores.mean().item(), "kl": (logp_old - logp_ref).sum(1).mean().item()}
