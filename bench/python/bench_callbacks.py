"""Messages per second into a Python callback and into an async iterator (docs/benchmarks.md).

One process, one embedded rtmd (rate limits off). A sender queues N peer messages at a receiver
that does not run its callbacks yet; once the sender has every acknowledgement (the receiver's
library holds them all), the receiver's dispatch is timed:

  callback/poll    a poll-mode rtmkit.Client: client.poll() runs N callbacks on this thread
  callback/thread  a thread-mode rtmkit.Client: its first callback holds the dispatcher until all N
                   are queued; then the time until the N-th callback ran on the dispatcher thread
  aio/fd           rtmkit.aio.Client (event fd + loop.add_reader): `async for` over N messages
  aio/thread       rtmkit.aio.Client(dispatch="thread"): the same through call_soon_threadsafe

Baselines in the same interpreter: a plain Python loop calling the same callback N times, and N
items through an asyncio.Queue (put_nowait + `await get()`).

usage: python bench/python/bench_callbacks.py [--n 50000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import threading
import time

import rtmkit
import rtmkit.aio

WINDOW = 1000  # unacknowledged messages at most


class Sender:
    def __init__(self, url: str) -> None:
        self.c = rtmkit.Client("bench", url=url)
        self.acked = 0
        self.cv = threading.Condition()
        self.c.on("send_message_result", self._result)
        ok = threading.Event()
        self.c.on("login_success", lambda: ok.set())
        self.c.login("sender")
        assert ok.wait(10)

    def _result(self, mid: int, code: int) -> None:
        with self.cv:
            self.acked += 1
            self.cv.notify_all()

    def send(self, peer: str, n: int) -> None:
        with self.cv:
            base = self.acked
        for i in range(n):
            with self.cv:
                while i - (self.acked - base) >= WINDOW:
                    self.cv.wait()
            self.c.send_message_to_peer(peer, "m")
        with self.cv:
            while self.acked - base < n:
                assert self.cv.wait(30), "acknowledgements missing"


def login(c: rtmkit.Client, user: str) -> None:
    ok = threading.Event()
    c.on("login_success", ok.set)
    c.login(user)
    while not ok.is_set():
        if c._c.poll_mode:
            c.poll(0.05)
        else:
            ok.wait(0.05)


def bench_poll(url: str, sender: Sender, n: int) -> float:
    with rtmkit.Client("bench", url=url, dispatch="poll") as r:
        login(r, "rpoll")
        count = 0

        def on_msg(peer: str, m: rtmkit.Message) -> None:
            nonlocal count
            count += 1

        r.on("message_received_from_peer", on_msg)
        sender.send("rpoll", n)
        t0 = time.perf_counter()
        while count < n:
            r.poll(1.0)
        return n / (time.perf_counter() - t0)


def bench_thread(url: str, sender: Sender, n: int) -> float:
    with rtmkit.Client("bench", url=url) as r:
        login(r, "rthread")
        gate = threading.Event()
        done = threading.Event()
        count = 0
        t0 = 0.0
        t1 = 0.0

        def on_msg(peer: str, m: rtmkit.Message) -> None:
            nonlocal count, t0, t1
            if count == 0:
                gate.wait()  # hold the dispatcher until everything is queued
                t0 = time.perf_counter()
            count += 1
            if count == n + 1:
                t1 = time.perf_counter()
                done.set()

        r.on("message_received_from_peer", on_msg)
        sender.send("rthread", 1)  # the message that holds the dispatcher
        sender.send("rthread", n)
        gate.set()
        assert done.wait(60)
        return n / (t1 - t0)


def bench_aio(url: str, sender: Sender, n: int, dispatch: str) -> float:
    async def run() -> float:
        async with rtmkit.aio.Client("bench", url=url, dispatch=dispatch) as r:
            user = "raio" + dispatch
            await r.login(user)
            msgs = r.messages()
            # The loop is blocked while the sender works: nothing is drained before t0.
            sender.send(user, n)
            t0 = time.perf_counter()
            got = 0
            async for _ in msgs:
                got += 1
                if got == n:
                    break
            return n / (time.perf_counter() - t0)

    return asyncio.run(run())


def baseline_call(n: int) -> float:
    count = 0

    def on_msg(peer: str, m: rtmkit.Message) -> None:
        nonlocal count
        count += 1

    msg = rtmkit.Message("m")
    t0 = time.perf_counter()
    for _ in range(n):
        on_msg("sender", msg)
    return n / (time.perf_counter() - t0)


def baseline_queue(n: int) -> float:
    async def run() -> float:
        q: asyncio.Queue[int] = asyncio.Queue()
        for i in range(n):
            q.put_nowait(i)
        t0 = time.perf_counter()
        for _ in range(n):
            await q.get()
        return n / (time.perf_counter() - t0)

    return asyncio.run(run())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=50000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    results: dict[str, list[float]] = {}
    with rtmkit.Server(rate_limits="off", store_sync=False, log_level="error") as server:
        sender = Sender(server.url)
        for _ in range(args.rounds):
            for name, fn in (
                ("callback/poll", lambda: bench_poll(server.url, sender, args.n)),
                ("callback/thread", lambda: bench_thread(server.url, sender, args.n)),
                ("aio/fd", lambda: bench_aio(server.url, sender, args.n, "fd")),
                ("aio/thread", lambda: bench_aio(server.url, sender, args.n, "thread")),
                ("baseline: Python call", lambda: baseline_call(args.n)),
                ("baseline: asyncio.Queue", lambda: baseline_queue(args.n)),
            ):
                results.setdefault(name, []).append(fn())
        sender.c.close()
    print(f"{args.n} messages, {args.rounds} rounds (msg/s: best, median)")
    for name, v in results.items():
        print(f"  {name:26s} {max(v):>12,.0f} {statistics.median(v):>12,.0f}")


if __name__ == "__main__":
    main()
