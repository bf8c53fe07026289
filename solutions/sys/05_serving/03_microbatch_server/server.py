"""Reference solution for sys-05-3."""
from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, BinaryIO


class Overloaded(Exception):  # noqa: N818 - the name says what happened
    """Given: the request queue is full; the request is rejected at once (backpressure)."""


class RequestTimeout(Exception):  # noqa: N818 - reads best in an error reply
    """Given: the request was not answered within its timeout."""


class MicroBatcher:
    def __init__(self, model: Callable[[list[Any]], list[Any]], max_batch_size: int, max_wait: float,
                 max_queue: int, timeout: float) -> None:
        if max_batch_size < 1 or max_wait < 0 or max_queue < 1 or timeout <= 0:
            raise ValueError("need max_batch_size >= 1, max_wait >= 0, max_queue >= 1 and timeout > 0")
        self.model = model
        self.max_batch_size, self.max_wait, self.max_queue, self.timeout = max_batch_size, max_wait, max_queue, timeout
        self.queue: queue.Queue = queue.Queue()
        self.batch_sizes: list[int] = []
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self.run_worker, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.queue.put(None)
        if self.thread is not None:
            self.thread.join(timeout=5)
            self.thread = None
        while True:
            try:
                item = self.queue.get_nowait()
            except queue.Empty:
                break
            if item is not None and item[1].set_running_or_notify_cancel():
                item[1].set_exception(RuntimeError("server stopped"))

    def submit(self, x: Any) -> Future:
        with self.lock:
            if self.queue.qsize() >= self.max_queue:
                raise Overloaded(f"queue full ({self.max_queue} waiting): try again later")
            future: Future = Future()
            self.queue.put((x, future))
        return future

    def call(self, x: Any) -> Any:
        future = self.submit(x)
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            future.cancel()
            raise RequestTimeout(f"no answer within {self.timeout} s") from None

    def run_worker(self) -> None:
        while True:
            first = self.queue.get()
            if first is None:
                return
            batch = [first]
            deadline = time.monotonic() + self.max_wait
            stop = False
            while len(batch) < self.max_batch_size:
                remaining = deadline - time.monotonic()
                try:
                    item = self.queue.get(timeout=remaining) if remaining > 0 else self.queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stop = True
                    break
                batch.append(item)
            batch = [(x, f) for x, f in batch if f.set_running_or_notify_cancel()]
            if batch:
                self.batch_sizes.append(len(batch))
                try:
                    outputs = self.model([x for x, _ in batch])
                    if len(outputs) != len(batch):
                        raise RuntimeError(f"model returned {len(outputs)} outputs for {len(batch)} inputs")
                except Exception as e:  # noqa: BLE001 - every request of the batch gets the model's error
                    for _, f in batch:
                        f.set_exception(e)
                else:
                    for (_, f), y in zip(batch, outputs, strict=True):
                        f.set_result(y)
            if stop:
                return


def handle_connection(batcher: MicroBatcher, rfile: BinaryIO, wfile: BinaryIO) -> None:
    for line in rfile:
        try:
            x = json.loads(line)["x"]
        except (ValueError, KeyError, TypeError):
            reply: dict = {"error": "bad_request", "detail": "send one JSON object {\"x\": ...} per line"}
        else:
            try:
                reply = {"y": batcher.call(x)}
            except Overloaded as e:
                reply = {"error": "overloaded", "detail": str(e)}
            except RequestTimeout as e:
                reply = {"error": "timeout", "detail": str(e)}
            except Exception as e:  # noqa: BLE001 - the client learns what went wrong
                reply = {"error": "internal", "detail": f"{type(e).__name__}: {e}"}
        wfile.write((json.dumps(reply) + "\n").encode())
        wfile.flush()
