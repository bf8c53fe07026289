"""nlp-12-3: RLHF with a hand-made reward model and PPO. Edit this file; `grader check nlp-12-3` tests it."""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn

WORDS = ["[BOS]", "good", "great", "fine", "okay", "bad", "awful", "meh"]


class Block(nn.Module):
    """Given: a pre-norm transformer block with a causal mask."""

    def __init__(self, d_model: int, n_heads: int) -> None:
        super().__init__()
        self.n_heads = n_heads
        self.ln1 = nn.LayerNorm(d_model)
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.ln2 = nn.LayerNorm(d_model)
        self.fc = nn.Linear(d_model, 4 * d_model)
        self.out = nn.Linear(4 * d_model, d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, t, 3, self.n_heads, d // self.n_heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.n_heads)
        scores = scores.masked_fill(~torch.ones(t, t, dtype=torch.bool, device=x.device).tril(), float("-inf"))
        y = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(y)
        return x + self.out(F.gelu(self.fc(self.ln2(x))))


class TinyLM(nn.Module):
    """Given: the policy, a tiny causal transformer LM, forward(idx (B, T) long) -> logits (B, T, vocab_size)."""

    def __init__(self, vocab_size: int = len(WORDS), d_model: int = 16, n_heads: int = 2, n_layers: int = 1,
                 max_len: int = 16) -> None:
        super().__init__()
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.pos_emb = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList(Block(d_model, n_heads) for _ in range(n_layers))
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size, bias=False)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        x = self.tok_emb(idx) + self.pos_emb(torch.arange(idx.shape[-1], device=idx.device))
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x))


def sample_responses(policy: nn.Module, prompts: torch.Tensor, length: int, generator: torch.Generator) -> torch.Tensor:
    """Given: sample `length` tokens after each prompt from softmax(logits) (temperature 1), no gradient.

    Shapes:
        prompts: (B, P) long; returns: (B, P + length) long, the prompts followed by the responses
    """
    tokens = prompts
    with torch.no_grad():
        for _ in range(length):
            probs = torch.softmax(policy(tokens)[:, -1].double(), dim=-1)
            tokens = torch.cat([tokens, torch.multinomial(probs, 1, generator=generator)], dim=-1)
    return tokens


def hack_reward_model(vocab_size: int, liked: Sequence[int], disliked: Sequence[int]) -> nn.EmbeddingBag:
    """A reward model written by hand instead of learned: the mean, over a response's tokens, of a
    per-token score that is +1 for liked tokens, -1 for disliked ones and 0 otherwise.

    Returns:
        nn.EmbeddingBag(vocab_size, 1, mode="mean") with those scores as its weight (vocab_size, 1), so
        reward_model(responses) is (B, 1) for responses (B, L) long
    """
    raise NotImplementedError("hack_reward_model: an EmbeddingBag whose weights you set by hand")


def response_logprobs(policy: nn.Module, tokens: torch.Tensor, prompt_len: int) -> torch.Tensor:
    """log pi(token_t | tokens_<t) of every response token t >= prompt_len, from one forward pass.

    Shapes:
        tokens: (B, P + L) long with P = prompt_len >= 1; returns: (B, L), differentiable
    """
    raise NotImplementedError("response_logprobs: log_softmax of the logits one position earlier, gathered")


def kl_penalized_rewards(scores: torch.Tensor, logp: torch.Tensor, logp_ref: torch.Tensor, beta: float) -> torch.Tensor:
    """Per-token rewards of RLHF: r_t = -beta * (logp_t - logp_ref_t) at every response token, plus the
    reward model's score of the whole response added at the last token.

    Shapes:
        scores: (B,); logp, logp_ref: (B, L); returns: (B, L)
    """
    raise NotImplementedError("kl_penalized_rewards: a KL penalty per token, the score at the end")


def whitened_advantages(rewards: torch.Tensor) -> torch.Tensor:
    """Advantages without a critic: the reward-to-go G_t = sum_{k >= t} r_k of every token (no
    discount), whitened over the whole batch: (G - G.mean()) / (G.std() + 1e-8), std unbiased.

    Shapes:
        rewards: (B, L); returns: (B, L)
    """
    raise NotImplementedError("whitened_advantages: reverse cumulative sum, then standardise")


def ppo_clip_loss(logp_new: torch.Tensor, logp_old: torch.Tensor, advantages: torch.Tensor,
                  clip_eps: float = 0.2) -> torch.Tensor:
    """PPO's clipped surrogate, as a loss to minimise:

        ratio = exp(logp_new - logp_old)
        loss  = -mean( min(ratio * A, clip(ratio, 1 - clip_eps, 1 + clip_eps) * A) )

    Shapes:
        logp_new (differentiable), logp_old, advantages: (B, L); returns: scalar tensor
    """
    raise NotImplementedError("ppo_clip_loss: the pessimistic minimum of the clipped and unclipped objectives")


def ppo_step(policy: nn.Module, ref_policy: nn.Module, optimizer: torch.optim.Optimizer,
             reward_model: Callable[[torch.Tensor], torch.Tensor], prompts: torch.Tensor, response_len: int,
             beta: float, clip_eps: float, ppo_epochs: int, generator: torch.Generator) -> dict[str, float]:
    """One PPO iteration of RLHF.

    1. tokens = sample_responses(policy, prompts, response_len, generator); P = prompts.shape[1].
    2. Without gradient: logp_old = response_logprobs(policy, tokens, P), logp_ref = the same with
       ref_policy, scores = reward_model(tokens[:, P:]).reshape(-1),
       advantages = whitened_advantages(kl_penalized_rewards(scores, logp_old, logp_ref, beta)).
    3. ppo_epochs times: loss = ppo_clip_loss(response_logprobs(policy, tokens, P), logp_old,
       advantages, clip_eps); optimizer.zero_grad(); loss.backward(); optimizer.step().

    Returns:
        {"reward": scores.mean(), "kl": (logp_old - logp_ref).sum(1).mean()} as Python floats, both
        measured on this step's rollouts (before the update)
    """
    raise NotImplementedError("ppo_step: roll out, score, compute advantages, take clipped policy-gradient steps")


def plot_rewards(history: Sequence[dict[str, float]]) -> Figure:
    """Reward (left axes) and KL to the reference policy (right axes) against PPO step 1..n.

    Each axes holds one line (labelled "reward" and "kl"), xlabel containing "step", ylabel
    containing "reward" and "KL" respectively.
    """
    raise NotImplementedError("plot_rewards: two panels, reward and KL per PPO step")
