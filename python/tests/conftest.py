"""Fixtures: an embedded rtmd per test module, clients that are closed after each test, and a
recorder that collects callback events and waits for them (never sleeps as an assertion)."""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Iterator, Optional

import pytest

import rtmkit

# Generous: the suite runs on loaded two-core machines.
TIMEOUT = 15.0

# Short timings for the features that have them, no rate limits, no fsync.
SERVER_OPTIONS: dict[str, Any] = {
    "rate_limits": "off",
    "store_sync": False,
    "log_level": "error",
    "io_threads": 2,
    "member_count_interval_ms": 100,
    "invitation_offline_ms": 300,
    "invitation_expire_ms": 3000,
}

APP_CERT = "0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def server() -> Iterator[rtmkit.Server]:
    with rtmkit.Server(**SERVER_OPTIONS) as s:
        yield s


class Recorder:
    """Records every event of a client (or channel) as (name, args); wait() blocks until one
    matches."""

    def __init__(self, owner: Any, events: dict[str, tuple[str, ...]]) -> None:
        self.events: list[tuple[str, tuple]] = []
        self.cv = threading.Condition()
        self.threads: set[str] = set()
        for name in events:
            owner.on(name, self._make(name))

    def _make(self, name: str) -> Callable[..., None]:
        def record(*args: Any) -> None:
            with self.cv:
                self.events.append((name, args))
                self.threads.add(threading.current_thread().name)
                self.cv.notify_all()

        return record

    def of(self, name: str) -> list[tuple]:
        with self.cv:
            return [a for n, a in self.events if n == name]

    def wait(
        self,
        name: str,
        pred: Optional[Callable[..., bool]] = None,
        timeout: float = TIMEOUT,
        poll: Optional[rtmkit.Client] = None,
    ) -> tuple:
        """The args of the first `name` event satisfying pred(*args); fails after timeout."""
        deadline = time.monotonic() + timeout
        while True:
            with self.cv:
                for n, a in self.events:
                    if n == name and (pred is None or pred(*a)):
                        return a
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {name} event within {timeout}s; got {[n for n, _ in self.events]}")
                if poll is None:
                    self.cv.wait(min(left, 0.5))
            if poll is not None:
                poll.poll(min(left, 0.1))

    def absent(self, name: str, pred: Optional[Callable[..., bool]] = None, within: float = 0.5) -> bool:
        """True when no such event arrives within `within` seconds (for events that must not come)."""
        try:
            self.wait(name, pred, within)
        except AssertionError:
            return True
        return False


@pytest.fixture
def make_client(server: rtmkit.Server) -> Iterator[Callable[..., tuple[rtmkit.Client, Recorder]]]:
    made: list[rtmkit.Client] = []

    def make(url: Optional[str] = None, app_id: str = "app", **kw: Any) -> tuple[rtmkit.Client, Recorder]:
        kw.setdefault("reconnect_min_ms", 100)
        kw.setdefault("reconnect_max_ms", 400)
        c = rtmkit.Client(app_id, url=url or server.url, **kw)
        made.append(c)
        return c, Recorder(c, rtmkit.CLIENT_EVENTS)

    yield make
    for c in made:
        c.close()


def login(c: rtmkit.Client, rec: Recorder, user: str, token: Optional[str] = None) -> None:
    n = len(rec.of("login_success"))
    c.login(user, token)
    rec.wait("login_success", None) if n == 0 else _wait_count(rec, "login_success", n + 1)
    assert c.state == rtmkit.ConnectionState.CONNECTED


def _wait_count(rec: Recorder, name: str, count: int, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    with rec.cv:
        while len([1 for n, _ in rec.events if n == name]) < count:
            left = deadline - time.monotonic()
            assert left > 0, f"fewer than {count} {name} events"
            rec.cv.wait(left)


def wait_count(rec: Recorder, name: str, count: int, timeout: float = TIMEOUT) -> None:
    _wait_count(rec, name, count, timeout)


def free_port() -> int:
    with rtmkit.Server(log_level="error") as s:
        return s.port
