"""nlp-28-2: domain mixing schedules and per-domain loss tracking. Edit this file; `grader check nlp-28-2` tests it."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F
from torch import nn

LOWER = "abcdefghijklmnopqrstuvwxyz"
UPPER = LOWER.upper()


def caesar(text: str, shift: int = 3) -> str:
    """Given: every letter moved `shift` places along the alphabet (case kept); other characters unchanged.

    A second "domain" with the same characters as English but different spelling statistics.
    """
    table = str.maketrans(LOWER + UPPER, LOWER[shift:] + LOWER[:shift] + UPPER[shift:] + UPPER[:shift])
    return text.translate(table)


def temperature_mix(sizes: Sequence[int], temperature: float) -> torch.Tensor:
    """Sampling weights for K data sets of the given sizes, with temperature scaling.

        p_k = n_k ** (1 / temperature) / sum_j n_j ** (1 / temperature)

    temperature = 1 samples in proportion to size; larger temperatures flatten the mixture towards
    uniform (multilingual models use T = 3 to 5 to up-sample small languages).

    Shapes:
        returns: (K,) float64, summing to 1

    Raises:
        ValueError: if sizes is empty, any size is < 1, or temperature <= 0.
    """
    raise NotImplementedError("temperature_mix: p_k proportional to n_k ** (1 / T)")


def scheduled_mix(step: int, total_steps: int, start: torch.Tensor, end: torch.Tensor) -> torch.Tensor:
    """A mixing schedule: the weights move linearly from `start` to `end` over total_steps, then stay.

        a = min(step / total_steps, 1);   w = (1 - a) * start + a * end

    Returns a new tensor (the inputs are not modified or aliased).

    Shapes:
        start, end: (K,) probability vectors
        returns: (K,) float64

    Raises:
        ValueError: if total_steps < 1, step < 0, or start and end differ in shape.
    """
    raise NotImplementedError("scheduled_mix: interpolate from start to end, then hold")


def sample_domains(weights: torch.Tensor, batch_size: int, generator: torch.Generator) -> torch.Tensor:
    """The domain of each example in a batch: `batch_size` independent draws from `weights`.

    Use torch.multinomial(weights, batch_size, replacement=True, generator=generator).

    Shapes:
        weights: (K,) non-negative
        returns: (batch_size,) int64 in [0, K)
    """
    raise NotImplementedError("sample_domains: torch.multinomial with the given generator")


class DomainLossTracker:
    """Per-domain training loss: a running mean over every example seen and a per-domain EMA.

    update(losses, domains) takes the per-example losses of one batch and their domains. For each
    domain k present in the batch, with m_k the mean loss of its examples in this batch:
    the EMA becomes m_k the first time k is seen, else beta * ema_k + (1 - beta) * m_k. Domains
    absent from the batch keep their EMA. means() is the mean loss over every example of that
    domain seen so far; both return NaN for a domain never seen. means(), ema() and counts()
    return new tensors: changing them does not change the tracker.

    Shapes:
        losses: (B,) float;  domains: (B,) int64 in [0, n_domains)
        means(), ema(): (n_domains,) float64;  counts(): (n_domains,) int64
    """

    def __init__(self, n_domains: int, beta: float = 0.9) -> None:
        raise NotImplementedError("DomainLossTracker.__init__: per-domain sums, counts and EMAs")

    def update(self, losses: torch.Tensor, domains: torch.Tensor) -> None:
        raise NotImplementedError("DomainLossTracker.update: fold one batch into each present domain's statistics")

    def means(self) -> torch.Tensor:
        raise NotImplementedError("DomainLossTracker.means: sum / count per domain, NaN when unseen")

    def ema(self) -> torch.Tensor:
        raise NotImplementedError("DomainLossTracker.ema: a copy of the per-domain EMA")

    def counts(self) -> torch.Tensor:
        raise NotImplementedError("DomainLossTracker.counts: a copy of the per-domain example counts")


def train_mixture(model: nn.Module, domains: Sequence[torch.Tensor], weights_at: Callable[[int], torch.Tensor],
                  steps: int, batch_size: int = 16, seq_len: int = 32, lr: float = 3e-3, seed: int = 0,
                  beta: float = 0.9) -> dict:
    """Given: train `model` on a mixture of domains, tracking each domain's loss.

    Each step: w = weights_at(step); d = sample_domains(w, batch_size, generator); example i is a
    random window of domain d[i]; one AdamW step on the mean next-character loss; the per-example
    losses go to a DomainLossTracker.

    Returns:
        {"tracker": the DomainLossTracker, "ema": (steps, K) EMA after each step,
         "weights": (steps, K) the weights used}
    """
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    tracker = DomainLossTracker(len(domains), beta=beta)
    ema, used = [], []
    model.train()
    for step in range(steps):
        w = weights_at(step)
        d = sample_domains(w, batch_size, g)
        rows = []
        for k in d.tolist():
            start = int(torch.randint(len(domains[k]) - seq_len - 1, (), generator=g))
            rows.append(domains[k][start:start + seq_len + 1])
        batch = torch.stack(rows)
        logits = model(batch[:, :-1])
        per_example = F.cross_entropy(logits.transpose(1, 2), batch[:, 1:], reduction="none").mean(dim=1)
        loss = per_example.mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        tracker.update(per_example.detach(), d)
        ema.append(tracker.ema())
        used.append(w.double())
    model.eval()
    return {"tracker": tracker, "ema": torch.stack(ema), "weights": torch.stack(used)}
