"""Plausible wrong versions of the micro-batching server that the tests must reject."""
from __future__ import annotations

import json
import queue
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING, Any, BinaryIO

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from server import MicroBatcher, Overloaded, RequestTimeout


@pitfall(replaces="MicroBatcher.submit", why="no backpressure: the queue grows without bound")
def unbounded(self: MicroBatcher, x: Any) -> Future:
    future: Future = Future()
    self.queue.put((x, future))
    return future


@pitfall(replaces="MicroBatcher.submit", why="rejects only when the queue holds more than max_queue: one request too many")
def off_by_one_bound(self: MicroBatcher, x: Any) -> Future:
    with self.lock:
        if self.queue.qsize() > self.max_queue:
            raise Overloaded("full")
        future: Future = Future()
        self.queue.put((x, future))
    return future


@pitfall(replaces="MicroBatcher.call", why="lets concurrent.futures' TimeoutError escape and never cancels the request")
def raw_timeout(self: MicroBatcher, x: Any) -> Any:
    return self.submit(x).result(timeout=self.timeout)


@pitfall(replaces="MicroBatcher.call", why="raises RequestTimeout but does not cancel: the expired request is computed anyway")
def no_cancel(self: MicroBatcher, x: Any) -> Any:
    future = self.submit(x)
    try:
        return future.result(timeout=self.timeout)
    except FutureTimeout:
        raise RequestTimeout("timeout") from None


def _collect(self: MicroBatcher, size: int) -> tuple[list, bool]:
    first = self.queue.get()
    if first is None:
        return [], True
    batch, stop = [first], False
    deadline = time.monotonic() + self.max_wait
    while len(batch) < size:
        remaining = deadline - time.monotonic()
        try:
            item = self.queue.get(timeout=remaining) if remaining > 0 else self.queue.get_nowait()
        except queue.Empty:
            break
        if item is None:
            stop = True
            break
        batch.append(item)
    return batch, stop


@pitfall(replaces="MicroBatcher.run_worker", why="calls the model on every request alone: no batching")
def one_at_a_time(self: MicroBatcher) -> None:
    while True:
        batch, stop = _collect(self, 1)
        for x, f in batch:
            if f.set_running_or_notify_cancel():
                self.batch_sizes.append(1)
                try:
                    f.set_result(self.model([x])[0])
                except Exception as e:  # noqa: BLE001
                    f.set_exception(e)
        if stop:
            return


@pitfall(replaces="MicroBatcher.run_worker", why="does not catch the model's exception: one failing batch kills the worker")
def worker_dies(self: MicroBatcher) -> None:
    while True:
        batch, stop = _collect(self, self.max_batch_size)
        batch = [(x, f) for x, f in batch if f.set_running_or_notify_cancel()]
        if batch:
            self.batch_sizes.append(len(batch))
            for (_, f), y in zip(batch, self.model([x for x, _ in batch]), strict=True):
                f.set_result(y)
        if stop:
            return


@pitfall(replaces="handle_connection", why="answers every failure with a bare 'error': the client cannot tell overload from a bad request")
def vague_errors(batcher: MicroBatcher, rfile: BinaryIO, wfile: BinaryIO) -> None:
    for line in rfile:
        try:
            reply: dict = {"y": batcher.call(json.loads(line)["x"])}
        except Exception:  # noqa: BLE001
            reply = {"error": "error"}
        wfile.write((json.dumps(reply) + "\n").encode())
        wfile.flush()
