"""rtmkit.Server: an embedded rtmd, the complete server in this process, for tests and demos."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from typing import Any, Optional

from . import _rtmkit as _rtmkit

__all__ = ["Server"]


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return ",".join(str(x) for x in v)
    return str(v)


class Server:
    """An embedded rtmd (the C API's ``rtm_server_*``).

    Keyword options and ``config`` are rtmd's configuration keys (docs/configuration.md); dotted
    keys such as ``"rate_limits.login.count"`` go in ``config``. By default it listens on an
    ephemeral port of 127.0.0.1, accepts any app id without token, and keeps its store in a
    temporary directory removed by ``close()``. ``start=False`` creates it stopped.

    >>> with rtmkit.Server(rate_limits="off") as server:
    ...     client = rtmkit.Client("demo", url=server.url)
    """

    def __init__(
        self,
        config: Optional[Mapping[str, Any]] = None,
        *,
        listen: str = "127.0.0.1:0",
        apps: Any = "",
        data_dir: Optional[str] = None,
        start: bool = True,
        **options: Any,
    ) -> None:
        self._tmp: Optional[str] = None
        if data_dir is None:
            self._tmp = data_dir = tempfile.mkdtemp(prefix="rtmkit-server-")
        self.data_dir: str = data_dir
        conf = {"listen": listen, "apps": apps, "data_dir": data_dir, **(config or {}), **options}
        try:
            self._s = _rtmkit.Server([(k, _value(v)) for k, v in conf.items()])
        except BaseException:
            self._cleanup()
            raise
        if start:
            self.start()

    def start(self) -> None:
        """Starts (again, after stop(): same store, ephemeral ports chosen anew). Raises
        LibraryError(SERVER_START) when it cannot (address in use, bad certificate...)."""
        self._s.start()

    def stop(self) -> None:
        """Graceful stop: every session is closed (clients start reconnecting)."""
        self._s.stop()

    def close(self) -> None:
        """Stops the server and releases it (and its temporary store). Idempotent."""
        self._s.close()
        self._cleanup()

    def _cleanup(self) -> None:
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    @property
    def port(self) -> int:
        """The port of the first ws listener (0 when not running)."""
        return self._s.port(False)

    @property
    def tls_port(self) -> int:
        """The port of the first wss listener (0 when there is none)."""
        return self._s.port(True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def wss_url(self) -> str:
        return f"wss://127.0.0.1:{self.tls_port}"

    @property
    def connection_count(self) -> int:
        """Open connections (logged in or not)."""
        return self._s.connection_count()

    @property
    def closed(self) -> bool:
        return self._s.closed

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<rtmkit.Server {'closed' if self.closed else self.url}>"
