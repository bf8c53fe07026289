"""sys-03-3: ring all-reduce from point-to-point messages, and its cost model.
Edit this file; `grader check sys-03-3` tests it.

ring_all_reduce runs inside one rank of a torch.distributed process group (the tests start it for
you, gloo backend, 3 ranks). Talk to the neighbours only through the given RingLink.
"""
from __future__ import annotations

import torch
import torch.distributed as dist


class RingLink:
    """Given: this rank's place in the ring, and counters of what it sends.

    exchange(send_buf, recv_buf) sends send_buf to the right neighbour (rank + 1) % world and, at
    the same time, receives the left neighbour's message into recv_buf (sized for the chunk the left neighbour
    sends, which may differ by one element from the one sent).
    Every rank must call exchange the same number of times, or the ring waits forever.
    """

    def __init__(self, rank: int, world: int) -> None:
        self.rank, self.world = rank, world
        self.right, self.left = (rank + 1) % world, (rank - 1) % world
        self.messages = 0
        self.elements = 0

    def exchange(self, send_buf: torch.Tensor, recv_buf: torch.Tensor) -> None:
        request = dist.isend(send_buf.contiguous(), self.right)
        dist.recv(recv_buf, self.left)
        request.wait()
        self.messages += 1
        self.elements += send_buf.numel()


def chunk_bounds(n: int, world: int) -> list[tuple[int, int]]:
    """Split range(n) into world contiguous chunks as numpy.array_split does: the first n % world
    chunks have n // world + 1 elements, the rest n // world (chunks may be empty when n < world).

    Returns:
        world pairs (start, stop), in order, covering [0, n).

    Raises:
        ValueError: if n < 0 or world < 1.
    """
    raise NotImplementedError("chunk_bounds")


def ring_all_reduce(x: torch.Tensor, link: RingLink) -> torch.Tensor:
    """The element-wise sum of x over all ranks, on every rank, by the ring algorithm.

    Flatten x and cut it into link.world chunks with chunk_bounds. Then
      reduce-scatter, p - 1 steps: at step s rank r sends chunk (r - s) mod p to the right and adds
        the chunk (r - s - 1) mod p it receives from the left into its own copy; afterwards rank r
        holds the complete sum of chunk (r + 1) mod p;
      all-gather, p - 1 steps: at step s rank r sends chunk (r + 1 - s) mod p and overwrites chunk
        (r - s) mod p with what it receives.
    Every message goes through link.exchange (one call per step: 2(p - 1) calls). With one rank the
    result is a copy of x and nothing is sent.

    Returns a new tensor of x's shape and dtype; x is not modified.
    """
    raise NotImplementedError("ring_all_reduce: reduce-scatter then all-gather over link.exchange")


def ring_cost(n: int, world: int, bytes_per_element: int, latency: float, bandwidth: float) -> tuple[int, float, float]:
    """The alpha-beta cost model of the ring all-reduce of n elements over world ranks, per rank:
    (messages, bytes_sent, seconds) with messages = 2(p - 1), bytes_sent = 2(p - 1)/p * n *
    bytes_per_element and seconds = messages * latency + bytes_sent / bandwidth (bytes per second).

    Raises:
        ValueError: if n < 0, world < 1, bytes_per_element < 1, latency < 0 or bandwidth <= 0.
    """
    raise NotImplementedError("ring_cost")
