"""rtmkit: the Python client of rtmkit, an open, self-hosted real-time messaging system with the
feature set of Agora RTM 1.x.

- ``rtmkit.Client``: callbacks (decorators or handler objects), context managers.
- ``rtmkit.aio.Client``: an awaitable for every operation, ``async for`` over messages and events.
- ``rtmkit.Server``: an embedded rtmd for tests and demos.
- ``rtmkit.build_token_007`` / ``build_token_006``: token minting.

See docs/python.md.
"""

from __future__ import annotations

import atexit as _atexit

from . import _rtmkit as _rtmkit
from ._enums import *  # noqa: F403
from ._enums import __all__ as _enums_all
from ._errors import *  # noqa: F403
from ._errors import __all__ as _errors_all
from ._types import (
    ChannelAttribute,
    ChannelMessage,
    Event,
    InvitationResult,
    Message,
    PeerMessage,
)
from .client import (
    CHANNEL_EVENTS,
    CLIENT_EVENTS,
    Channel,
    ChannelEventHandler,
    Client,
    EventHandler,
    LocalInvitation,
    RemoteInvitation,
)
from . import aio
from .server import Server
from .token import build_token_006, build_token_007

__version__ = "0.3.0"


def library_version() -> str:
    """The version of the C library linked into the module."""
    return _rtmkit.version_str()


def set_log_level(level: str) -> None:
    """The library's process-wide log level (stderr): trace, debug, info, warn, error or off."""
    _rtmkit.set_log_level(level)


# Live Signal instances, clients and embedded servers are closed before the interpreter finalizes,
# with the GIL released, so that no library thread needs the GIL while Python shuts down.
_atexit.register(_rtmkit.close_all)

__all__ = [
    *_enums_all,
    *_errors_all,
    "CHANNEL_EVENTS",
    "CLIENT_EVENTS",
    "Channel",
    "ChannelAttribute",
    "ChannelEventHandler",
    "ChannelMessage",
    "Client",
    "Event",
    "EventHandler",
    "InvitationResult",
    "LocalInvitation",
    "Message",
    "PeerMessage",
    "RemoteInvitation",
    "Server",
    "aio",
    "build_token_006",
    "build_token_007",
    "library_version",
    "set_log_level",
]
