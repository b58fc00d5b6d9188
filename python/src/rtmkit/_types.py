"""Dataclasses for messages, attributes, events and invitation outcomes."""

from __future__ import annotations

import dataclasses
from typing import Any, Optional, Union

from ._enums import LocalInvitationState, MessageType

__all__ = [
    "ChannelAttribute",
    "ChannelMessage",
    "Event",
    "InvitationResult",
    "Message",
    "PeerMessage",
]


@dataclasses.dataclass
class Message:
    """An RTM message: TEXT (``text``) or RAW (``raw`` bytes, with ``text`` as its description).

    Build one with ``Message("hi")``, ``Message.from_raw(b"...", "description")``, or pass a ``str``
    or ``bytes`` wherever a message is expected. Received messages also carry the id the sender's
    library gave them, when the server received them (ms since the epoch) and whether they were
    stored while the receiver was offline.
    """

    text: str = ""
    raw: Optional[bytes] = None
    message_id: int = 0
    server_received_ts: int = 0
    is_offline: bool = False

    @property
    def type(self) -> MessageType:
        return MessageType.RAW if self.raw is not None else MessageType.TEXT

    @classmethod
    def from_raw(cls, data: bytes, description: str = "") -> "Message":
        return cls(text=description, raw=bytes(data))

    @classmethod
    def of(cls, message: "MessageLike") -> "Message":
        """A Message from a Message, a str (TEXT) or bytes-like (RAW)."""
        if isinstance(message, Message):
            return message
        if isinstance(message, str):
            return cls(text=message)
        if isinstance(message, (bytes, bytearray, memoryview)):
            return cls(raw=bytes(message))
        raise TypeError(f"a message is a str, bytes or rtmkit.Message, not {type(message).__name__}")

    @classmethod
    def _from_fields(cls, f: tuple) -> "Message":
        # (type, text, raw or None, message id, server received ts, is offline) from _rtmkit
        return cls(f[1], f[2], f[3], f[4], f[5])


MessageLike = Union[Message, str, bytes, bytearray, memoryview]


@dataclasses.dataclass
class PeerMessage:
    """A peer message and its sender, as yielded by ``async for m in client.messages()``."""

    peer_id: str
    message: Message

    @property
    def text(self) -> str:
        return self.message.text


@dataclasses.dataclass
class ChannelMessage:
    """A channel message and its sender, as yielded by ``async for m in channel.messages()``."""

    channel_id: str
    member_id: str
    message: Message

    @property
    def text(self) -> str:
        return self.message.text


@dataclasses.dataclass(frozen=True)
class ChannelAttribute:
    """A channel attribute: its value, who set it last and when (ms since the epoch)."""

    key: str
    value: str
    last_update_user_id: str = ""
    last_update_ts: int = 0


@dataclasses.dataclass(frozen=True)
class Event:
    """An event of a client or channel: its name (e.g. ``"connection_state_changed"``) and the
    arguments its callback receives, by name (``event.args["state"]``, or ``event.state``)."""

    name: str
    args: dict[str, Any] = dataclasses.field(default_factory=dict)

    def __getattr__(self, item: str) -> Any:
        try:
            return self.__dict__["args"][item]
        except KeyError:
            raise AttributeError(item) from None


@dataclasses.dataclass(frozen=True)
class InvitationResult:
    """How a sent invitation ended: ACCEPTED_BY_REMOTE or REFUSED_BY_REMOTE with the callee's
    response, or CANCELED."""

    state: LocalInvitationState
    response: str = ""
