"""Plausible wrong versions of the ring all-reduce and its cost model that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ring import RingLink, chunk_bounds


def _ring(x: torch.Tensor, link: RingLink, *, gather: bool = True, rs_steps: int | None = None,
          rs_recv_shift: int = 1, in_place: bool = False) -> torch.Tensor:
    p, r = link.world, link.rank
    flat = x.reshape(-1) if in_place else x.reshape(-1).clone()
    bounds = chunk_bounds(flat.numel(), p)
    for step in range(p - 1 if rs_steps is None else rs_steps):
        s0, s1 = bounds[(r - step) % p]
        g0, g1 = bounds[(r - step - rs_recv_shift) % p]
        incoming = torch.empty(g1 - g0, dtype=flat.dtype)
        link.exchange(flat[s0:s1], incoming)
        flat[g0:g1] += incoming
    for step in range(p - 1 if gather else 0):
        s0, s1 = bounds[(r + 1 - step) % p]
        g0, g1 = bounds[(r - step) % p]
        incoming = torch.empty(g1 - g0, dtype=flat.dtype)
        link.exchange(flat[s0:s1], incoming)
        flat[g0:g1] = incoming
    return flat.reshape(x.shape)


@pitfall(replaces="ring_all_reduce", why="stops after the reduce-scatter: each rank has only one finished chunk")
def no_all_gather(x: torch.Tensor, link: RingLink) -> torch.Tensor:
    return _ring(x, link, gather=False)


@pitfall(replaces="ring_all_reduce", why="p reduce-scatter steps instead of p - 1: one rank's chunk is added twice")
def one_step_too_many(x: torch.Tensor, link: RingLink) -> torch.Tensor:
    return _ring(x, link, rs_steps=link.world)


@pitfall(replaces="ring_all_reduce", why="adds the received chunk into the slot of the chunk it just sent")
def adds_into_sent_chunk(x: torch.Tensor, link: RingLink) -> torch.Tensor:
    return _ring(x, link, rs_recv_shift=0)


@pitfall(replaces="ring_all_reduce", why="reduces into x's own memory: the caller's tensor is overwritten")
def in_place(x: torch.Tensor, link: RingLink) -> torch.Tensor:
    return _ring(x, link, in_place=True)


@pitfall(replaces="chunk_bounds", why="floor-sized chunks with the remainder all in the last chunk")
def remainder_last(n: int, world: int) -> list[tuple[int, int]]:
    if n < 0 or world < 1:
        raise ValueError("bad arguments")
    size = n // world
    return [(i * size, (i + 1) * size if i < world - 1 else n) for i in range(world)]


@pitfall(replaces="ring_cost", why="counts the whole vector per step: 2(p - 1) n bytes instead of 2(p - 1)/p n")
def whole_vector_per_step(n: int, world: int, bytes_per_element: int, latency: float, bandwidth: float) -> tuple[int, float, float]:
    if n < 0 or world < 1 or bytes_per_element < 1 or latency < 0 or bandwidth <= 0:
        raise ValueError("bad arguments")
    sent = 2 * (world - 1) * n * bytes_per_element
    return 2 * (world - 1), float(sent), 2 * (world - 1) * latency + sent / bandwidth


@pitfall(replaces="ring_cost", why="p steps per phase instead of p - 1")
def p_steps(n: int, world: int, bytes_per_element: int, latency: float, bandwidth: float) -> tuple[int, float, float]:
    if n < 0 or world < 1 or bytes_per_element < 1 or latency < 0 or bandwidth <= 0:
        raise ValueError("bad arguments")
    sent = 2 * world / world * n * bytes_per_element
    return 2 * world, sent, 2 * world * latency + sent / bandwidth
