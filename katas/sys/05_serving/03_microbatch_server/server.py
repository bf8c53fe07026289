"""sys-05-3: a micro-batching inference server with a request queue, timeouts and backpressure.
Edit this file; `grader check sys-05-3` tests it."""
from __future__ import annotations

import json  # noqa: F401 - you will need it
import queue  # noqa: F401 - you will need it
import threading  # noqa: F401 - you will need it
import time  # noqa: F401 - you will need it
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout  # noqa: F401 - you will need it
from typing import Any, BinaryIO


class Overloaded(Exception):  # noqa: N818 - the name says what happened
    """Given: the request queue is full; the request is rejected at once (backpressure)."""


class RequestTimeout(Exception):  # noqa: N818 - reads best in an error reply
    """Given: the request was not answered within its timeout."""



class MicroBatcher:
    """Collects concurrent requests into batches for a batch model, on a worker thread.

    model: a function from a list of inputs to the list of their outputs (same length and order).
    The constructor stores the settings and creates `queue` (a queue.Queue of (x, future) pairs),
    `batch_sizes` (the size of every batch passed to the model, in order) and anything else needed;
    it starts nothing.

    Raises:
        ValueError: (constructor) unless max_batch_size >= 1, max_wait >= 0, max_queue >= 1, timeout > 0.
    """

    def __init__(self, model: Callable[[list[Any]], list[Any]], max_batch_size: int, max_wait: float,
                 max_queue: int, timeout: float) -> None:
        raise NotImplementedError("MicroBatcher.__init__")

    def start(self) -> None:
        """Start run_worker on a daemon thread."""
        raise NotImplementedError("MicroBatcher.start")

    def stop(self) -> None:
        """Make the worker finish (after its current batch) and wait for it; then fail every request
        still queued with RuntimeError, so none is left hanging."""
        raise NotImplementedError("MicroBatcher.stop")

    def submit(self, x: Any) -> Future:
        """Queue x and return its concurrent.futures.Future at once; raise Overloaded, without
        queueing, if max_queue requests are already waiting (requests inside the model do not count):
        backpressure. Safe to call from many threads."""
        raise NotImplementedError("MicroBatcher.submit")

    def call(self, x: Any) -> Any:
        """submit(x) and wait for the answer at most timeout seconds; on timeout, cancel the future (a
        request the worker has not started is then skipped) and raise RequestTimeout. Overloaded and
        the model's exceptions propagate."""
        raise NotImplementedError("MicroBatcher.call")

    def run_worker(self) -> None:
        """The worker loop: wait for a request; add queued requests until the batch has max_batch_size,
        waiting at most max_wait seconds (from taking the first) for more; keep the requests whose
        future.set_running_or_notify_cancel() is True (the others were cancelled: skip them); call
        the model once on the kept ones and set each future's result, or, if the model raises, that
        exception on every future of the batch (a RuntimeError if it returns a different number of
        outputs), and go on. Returns when stop() asks it to."""
        raise NotImplementedError("MicroBatcher.run_worker")


def handle_connection(batcher: MicroBatcher, rfile: BinaryIO, wfile: BinaryIO) -> None:
    """Serve one TCP client (socketserver's rfile / wfile): for each line, a JSON object {"x": value},
    batcher.call(value) and write one JSON line back, in order: {"y": output}, or {"error": kind,
    "detail": a human-readable message} with kind "bad_request" (the line is not such an object),
    "overloaded", "timeout" or "internal" (any other exception). Flush after each reply.
    """
    raise NotImplementedError("handle_connection: read a line, call, write the reply")
