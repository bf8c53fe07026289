"""Plausible wrong A2C pieces that the tests must reject."""
from __future__ import annotations

import torch

from grader.pitfalls import pitfall


@pitfall(replaces="n_step_targets", why="bootstraps across episode ends (ignores dones)")
def ignores_dones(rewards: torch.Tensor, dones: torch.Tensor, last_values: torch.Tensor,
                  gamma: float) -> torch.Tensor:
    if rewards.dim() != 2 or dones.shape != rewards.shape or last_values.shape != rewards.shape[1:]:
        raise ValueError("shapes")
    out, nxt = torch.empty_like(rewards), last_values.to(rewards.dtype)
    for t in reversed(range(rewards.shape[0])):
        nxt = rewards[t] + gamma * nxt
        out[t] = nxt
    return out


@pitfall(replaces="n_step_targets", why="forgets the bootstrap value at the end of the rollout (Monte Carlo within it)")
def no_bootstrap(rewards: torch.Tensor, dones: torch.Tensor, last_values: torch.Tensor,
                 gamma: float) -> torch.Tensor:
    if rewards.dim() != 2 or dones.shape != rewards.shape or last_values.shape != rewards.shape[1:]:
        raise ValueError("shapes")
    out, nxt = torch.empty_like(rewards), torch.zeros_like(last_values, dtype=rewards.dtype)
    for t in reversed(range(rewards.shape[0])):
        nxt = rewards[t] + gamma * (1.0 - dones[t].to(rewards.dtype)) * nxt
        out[t] = nxt
    return out


@pitfall(replaces="a2c_loss", why="the advantage is not detached: the policy term pushes the critic around")
def advantage_not_detached(logits: torch.Tensor, actions: torch.Tensor, values: torch.Tensor, returns: torch.Tensor,
                           vf_coef: float = 0.5, ent_coef: float = 0.01) -> dict[str, torch.Tensor]:
    log_p = torch.log_softmax(logits, -1)
    chosen = log_p.gather(1, actions.long().unsqueeze(1)).squeeze(1)
    policy = -(chosen * (returns - values)).mean()
    value = 0.5 * ((returns - values) ** 2).mean()
    entropy = -(log_p.exp() * log_p).sum(-1).mean()
    return {"loss": policy + vf_coef * value - ent_coef * entropy, "policy": policy, "value": value,
            "entropy": entropy}


@pitfall(replaces="a2c_loss", why="weights log-probs by the returns, not the advantages (no baseline)")
def no_baseline(logits: torch.Tensor, actions: torch.Tensor, values: torch.Tensor, returns: torch.Tensor,
                vf_coef: float = 0.5, ent_coef: float = 0.01) -> dict[str, torch.Tensor]:
    log_p = torch.log_softmax(logits, -1)
    chosen = log_p.gather(1, actions.long().unsqueeze(1)).squeeze(1)
    policy = -(chosen * returns).mean()
    value = 0.5 * ((returns - values) ** 2).mean()
    entropy = -(log_p.exp() * log_p).sum(-1).mean()
    return {"loss": policy + vf_coef * value - ent_coef * entropy, "policy": policy, "value": value,
            "entropy": entropy}


@pitfall(replaces="a2c_loss", why="entropy computed from the raw logits (softmax(logits) * logits)")
def entropy_of_logits(logits: torch.Tensor, actions: torch.Tensor, values: torch.Tensor, returns: torch.Tensor,
                      vf_coef: float = 0.5, ent_coef: float = 0.01) -> dict[str, torch.Tensor]:
    log_p = torch.log_softmax(logits, -1)
    chosen = log_p.gather(1, actions.long().unsqueeze(1)).squeeze(1)
    policy = -(chosen * (returns - values).detach()).mean()
    value = 0.5 * ((returns - values) ** 2).mean()
    entropy = -(torch.softmax(logits, -1) * logits).sum(-1).mean()
    return {"loss": policy + vf_coef * value - ent_coef * entropy, "policy": policy, "value": value,
            "entropy": entropy}


@pitfall(replaces="a2c_loss", why="vf_coef and ent_coef swapped")
def swapped_coefs(logits: torch.Tensor, actions: torch.Tensor, values: torch.Tensor, returns: torch.Tensor,
                  vf_coef: float = 0.5, ent_coef: float = 0.01) -> dict[str, torch.Tensor]:
    log_p = torch.log_softmax(logits, -1)
    chosen = log_p.gather(1, actions.long().unsqueeze(1)).squeeze(1)
    policy = -(chosen * (returns - values).detach()).mean()
    value = 0.5 * ((returns - values) ** 2).mean()
    entropy = -(log_p.exp() * log_p).sum(-1).mean()
    return {"loss": policy + ent_coef * value - vf_coef * entropy, "policy": policy, "value": value,
            "entropy": entropy}
