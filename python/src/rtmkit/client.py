"""rtmkit.Client: the RTM client with callbacks (decorators or handler objects)."""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Iterable, Mapping
from typing import Any, Callable, Optional, TypeVar, Union

from . import _rtmkit as _rtmkit
from ._enums import (
    AttributeOperationErrorCode,
    ChannelMessageErrorCode,
    ConnectionChangeReason,
    ConnectionState,
    GetChannelMemberCountErrorCode,
    GetMembersErrorCode,
    JoinChannelErrorCode,
    LeaveChannelErrorCode,
    LocalInvitationErrorCode,
    LocalInvitationState,
    LoginErrorCode,
    LogoutErrorCode,
    PeerMessageErrorCode,
    PeerOnlineState,
    PeerSubscriptionOption,
    PeerSubscriptionStatusErrorCode,
    QueryPeersBySubscriptionOptionErrorCode,
    QueryPeersOnlineStatusErrorCode,
    RemoteInvitationErrorCode,
    RemoteInvitationState,
    RenewTokenErrorCode,
    to_enum,
)
from ._types import ChannelAttribute, Event, Message, MessageLike

__all__ = [
    "CHANNEL_EVENTS",
    "CLIENT_EVENTS",
    "Channel",
    "ChannelEventHandler",
    "Client",
    "EventHandler",
    "LocalInvitation",
    "RemoteInvitation",
]

#: Every event of a client, with the names of its callback's arguments.
CLIENT_EVENTS: dict[str, tuple[str, ...]] = {
    "connection_state_changed": ("state", "reason"),
    "login_success": (),
    "login_failure": ("code",),
    "logout": ("code",),
    "renew_token_result": ("token", "code"),
    "token_expired": (),
    "token_privilege_will_expire": (),
    "send_message_result": ("message_id", "code"),
    "message_received_from_peer": ("peer_id", "message"),
    "query_peers_online_status_result": ("request_id", "statuses", "code"),
    "subscription_request_result": ("request_id", "code"),
    "query_peers_by_subscription_option_result": ("request_id", "peer_ids", "code"),
    "peers_online_status_changed": ("statuses",),
    "set_local_user_attributes_result": ("request_id", "code"),
    "add_or_update_local_user_attributes_result": ("request_id", "code"),
    "delete_local_user_attributes_result": ("request_id", "code"),
    "clear_local_user_attributes_result": ("request_id", "code"),
    "get_user_attributes_result": ("request_id", "user_id", "attributes", "code"),
    "set_channel_attributes_result": ("request_id", "code"),
    "add_or_update_channel_attributes_result": ("request_id", "code"),
    "delete_channel_attributes_result": ("request_id", "code"),
    "clear_channel_attributes_result": ("request_id", "code"),
    "get_channel_attributes_result": ("request_id", "attributes", "code"),
    "get_channel_member_count_result": ("request_id", "counts", "code"),
    "local_invitation_received_by_peer": ("invitation",),
    "local_invitation_accepted": ("invitation", "response"),
    "local_invitation_refused": ("invitation", "response"),
    "local_invitation_canceled": ("invitation",),
    "local_invitation_failure": ("invitation", "code"),
    "remote_invitation_received": ("invitation",),
    "remote_invitation_accepted": ("invitation",),
    "remote_invitation_refused": ("invitation",),
    "remote_invitation_canceled": ("invitation",),
    "remote_invitation_failure": ("invitation", "code"),
}

#: Every event of a channel, with the names of its callback's arguments.
CHANNEL_EVENTS: dict[str, tuple[str, ...]] = {
    "join_success": (),
    "join_failure": ("code",),
    "leave": ("code",),
    "message_received": ("member_id", "message"),
    "send_message_result": ("message_id", "code"),
    "member_joined": ("member_id",),
    "member_left": ("member_id",),
    "get_members_result": ("members", "code"),
    "member_count_updated": ("count",),
    "attributes_updated": ("attributes",),
}

F = TypeVar("F", bound=Callable[..., Any])
Attributes = Union[Mapping[str, str], Iterable[tuple[str, str]]]


def _conf_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _pairs(attributes: Attributes) -> list[tuple[str, str]]:
    items = attributes.items() if isinstance(attributes, Mapping) else attributes
    return [(str(k), str(v)) for k, v in items]


def _ids(ids: Union[str, Iterable[str]]) -> list[str]:
    return [ids] if isinstance(ids, str) else list(ids)


def _statuses(pairs: list) -> dict[str, PeerOnlineState]:
    return {p: to_enum(PeerOnlineState, s) for p, s in pairs}  # type: ignore[misc]


def _channel_attributes(items: list) -> dict[str, ChannelAttribute]:
    return {k: ChannelAttribute(k, v, u or "", ts) for k, v, u, ts in items}


# ---- listeners ----------------------------------------------------------------------------------------


class _Emitter:
    """Listener lists per event, for decorators (``@obj.on("event")``, ``@obj.event``) and handler
    objects (``obj.add_handler(h)``: its ``on_<event>`` methods)."""

    _EVENTS: dict[str, tuple[str, ...]] = {}
    _HANDLER_BASE: type = object

    def __init__(self) -> None:
        # Tuples, replaced on change: _emit iterates them without copying, from any thread.
        self._listeners: dict[str, tuple[Callable[..., Any], ...]] = {}

    def _check_event(self, event: str) -> str:
        if event.startswith("on_"):
            event = event[3:]
        if event not in self._EVENTS:
            raise ValueError(f"no event {event!r} (events: {', '.join(self._EVENTS)})")
        return event

    def on(self, event: str, callback: Optional[F] = None) -> Any:
        """Calls ``callback`` on ``event``; without a callback, a decorator:

        >>> @client.on("message_received_from_peer")
        ... def got(peer_id, message): ...
        """
        name = self._check_event(event)
        if callback is None:

            def decorator(fn: F) -> F:
                self.on(name, fn)
                return fn

            return decorator
        if not callable(callback):
            raise TypeError("callback must be callable")
        self._listeners[name] = self._listeners.get(name, ()) + (callback,)
        return callback

    def event(self, fn: F) -> F:
        """A decorator that registers ``fn`` for the event its name gives: ``def on_login_success()``."""
        self.on(fn.__name__, fn)
        return fn

    def off(self, event: str, callback: Callable[..., Any]) -> None:
        """Removes a callback registered with on()."""
        name = self._check_event(event)
        ls = list(self._listeners.get(name, ()))
        if callback in ls:
            ls.remove(callback)
        self._listeners[name] = tuple(ls)

    def add_handler(self, handler: Any) -> None:
        """Registers every ``on_<event>`` method of ``handler`` (an EventHandler subclass, or any
        object with such methods); the methods an EventHandler subclass does not override are skipped."""
        base = self._HANDLER_BASE
        for name in self._EVENTS:
            fn = getattr(handler, "on_" + name, None)
            if fn is None or not callable(fn):
                continue
            if getattr(type(handler), "on_" + name, None) is getattr(base, "on_" + name, None):
                continue  # the no-op default
            self.on(name, fn)

    def remove_handler(self, handler: Any) -> None:
        for name in self._EVENTS:
            fn = getattr(handler, "on_" + name, None)
            if fn is not None:
                self.off(name, fn)

    def _emit(self, name: str, *args: Any) -> None:
        ls = self._listeners.get(name)
        if not ls:
            return
        if len(ls) == 1:
            ls[0](*args)
            return
        first: Optional[BaseException] = None
        for fn in ls:
            try:
                fn(*args)
            except Exception as e:  # every listener runs; the first error is raised afterwards
                if first is None:
                    first = e
        if first is not None:
            raise first

    @classmethod
    def _event(cls, name: str, args: tuple) -> Event:
        return Event(name, dict(zip(cls._EVENTS[name], args)))


class EventHandler:
    """A base class for client handler objects: override the ``on_<event>`` methods you need
    (the RTM 1.x RtmServiceEventHandler), then ``Client(..., handler=h)`` or ``client.add_handler(h)``."""

    def on_connection_state_changed(self, state: ConnectionState, reason: ConnectionChangeReason) -> None: ...
    def on_login_success(self) -> None: ...
    def on_login_failure(self, code: LoginErrorCode) -> None: ...
    def on_logout(self, code: LogoutErrorCode) -> None: ...
    def on_renew_token_result(self, token: str, code: RenewTokenErrorCode) -> None: ...
    def on_token_expired(self) -> None: ...
    def on_token_privilege_will_expire(self) -> None: ...
    def on_send_message_result(self, message_id: int, code: PeerMessageErrorCode) -> None: ...
    def on_message_received_from_peer(self, peer_id: str, message: Message) -> None: ...
    def on_query_peers_online_status_result(
        self, request_id: int, statuses: dict[str, PeerOnlineState], code: QueryPeersOnlineStatusErrorCode
    ) -> None: ...
    def on_subscription_request_result(self, request_id: int, code: PeerSubscriptionStatusErrorCode) -> None: ...
    def on_query_peers_by_subscription_option_result(
        self, request_id: int, peer_ids: list[str], code: QueryPeersBySubscriptionOptionErrorCode
    ) -> None: ...
    def on_peers_online_status_changed(self, statuses: dict[str, PeerOnlineState]) -> None: ...
    def on_set_local_user_attributes_result(self, request_id: int, code: AttributeOperationErrorCode) -> None: ...
    def on_add_or_update_local_user_attributes_result(
        self, request_id: int, code: AttributeOperationErrorCode
    ) -> None: ...
    def on_delete_local_user_attributes_result(self, request_id: int, code: AttributeOperationErrorCode) -> None: ...
    def on_clear_local_user_attributes_result(self, request_id: int, code: AttributeOperationErrorCode) -> None: ...
    def on_get_user_attributes_result(
        self, request_id: int, user_id: str, attributes: dict[str, str], code: AttributeOperationErrorCode
    ) -> None: ...
    def on_set_channel_attributes_result(self, request_id: int, code: AttributeOperationErrorCode) -> None: ...
    def on_add_or_update_channel_attributes_result(
        self, request_id: int, code: AttributeOperationErrorCode
    ) -> None: ...
    def on_delete_channel_attributes_result(self, request_id: int, code: AttributeOperationErrorCode) -> None: ...
    def on_clear_channel_attributes_result(self, request_id: int, code: AttributeOperationErrorCode) -> None: ...
    def on_get_channel_attributes_result(
        self, request_id: int, attributes: dict[str, ChannelAttribute], code: AttributeOperationErrorCode
    ) -> None: ...
    def on_get_channel_member_count_result(
        self, request_id: int, counts: dict[str, int], code: GetChannelMemberCountErrorCode
    ) -> None: ...
    def on_local_invitation_received_by_peer(self, invitation: LocalInvitation) -> None: ...
    def on_local_invitation_accepted(self, invitation: LocalInvitation, response: str) -> None: ...
    def on_local_invitation_refused(self, invitation: LocalInvitation, response: str) -> None: ...
    def on_local_invitation_canceled(self, invitation: LocalInvitation) -> None: ...
    def on_local_invitation_failure(self, invitation: LocalInvitation, code: LocalInvitationErrorCode) -> None: ...
    def on_remote_invitation_received(self, invitation: RemoteInvitation) -> None: ...
    def on_remote_invitation_accepted(self, invitation: RemoteInvitation) -> None: ...
    def on_remote_invitation_refused(self, invitation: RemoteInvitation) -> None: ...
    def on_remote_invitation_canceled(self, invitation: RemoteInvitation) -> None: ...
    def on_remote_invitation_failure(self, invitation: RemoteInvitation, code: RemoteInvitationErrorCode) -> None: ...


class ChannelEventHandler:
    """A base class for channel handler objects (the RTM 1.x RtmChannelEventHandler)."""

    def on_join_success(self) -> None: ...
    def on_join_failure(self, code: JoinChannelErrorCode) -> None: ...
    def on_leave(self, code: LeaveChannelErrorCode) -> None: ...
    def on_message_received(self, member_id: str, message: Message) -> None: ...
    def on_send_message_result(self, message_id: int, code: ChannelMessageErrorCode) -> None: ...
    def on_member_joined(self, member_id: str) -> None: ...
    def on_member_left(self, member_id: str) -> None: ...
    def on_get_members_result(self, members: list[str], code: GetMembersErrorCode) -> None: ...
    def on_member_count_updated(self, count: int) -> None: ...
    def on_attributes_updated(self, attributes: dict[str, ChannelAttribute]) -> None: ...


# ---- invitations ----------------------------------------------------------------------------------------


class LocalInvitation:
    """A call invitation this client sends (RTM's LocalInvitation). Create it with
    ``client.create_local_invitation(callee_id)``; its state follows the invitation's events."""

    __slots__ = ("_h", "_failure", "__weakref__")

    def __init__(self, handle: _rtmkit.LocalInvitation) -> None:
        self._h = handle
        self._failure: Optional[int] = None

    @property
    def invitation_id(self) -> int:
        return self._h.invitation_id

    @property
    def callee_id(self) -> str:
        return self._h.callee_id

    @property
    def state(self) -> LocalInvitationState:
        return to_enum(LocalInvitationState, self._h.state)  # type: ignore[return-value]

    @property
    def content(self) -> str:
        return self._h.content

    @content.setter
    def content(self, value: str) -> None:
        self._h.content = value

    @property
    def channel_id(self) -> str:
        return self._h.channel_id

    @channel_id.setter
    def channel_id(self, value: str) -> None:
        self._h.channel_id = value

    @property
    def response(self) -> str:
        """The callee's response, once it accepted or refused."""
        return self._h.response

    @property
    def failure(self) -> Optional[LocalInvitationErrorCode]:
        """Why the invitation failed, if it did."""
        return None if self._failure is None else to_enum(LocalInvitationErrorCode, self._failure)  # type: ignore

    def __repr__(self) -> str:
        return f"<LocalInvitation {self.invitation_id} to {self.callee_id!r} {self.state.name}>"


class RemoteInvitation:
    """A call invitation this client received (RTM's RemoteInvitation): answer it with
    ``client.accept_remote_invitation(inv)`` or ``client.refuse_remote_invitation(inv)``."""

    __slots__ = ("_h", "_failure", "__weakref__")

    def __init__(self, handle: _rtmkit.RemoteInvitation) -> None:
        self._h = handle
        self._failure: Optional[int] = None

    @property
    def invitation_id(self) -> int:
        return self._h.invitation_id

    @property
    def caller_id(self) -> str:
        return self._h.caller_id

    @property
    def content(self) -> str:
        return self._h.content

    @property
    def channel_id(self) -> str:
        return self._h.channel_id

    @property
    def state(self) -> RemoteInvitationState:
        return to_enum(RemoteInvitationState, self._h.state)  # type: ignore[return-value]

    @property
    def response(self) -> str:
        return self._h.response

    @response.setter
    def response(self, value: str) -> None:
        self._h.response = value

    @property
    def failure(self) -> Optional[RemoteInvitationErrorCode]:
        return None if self._failure is None else to_enum(RemoteInvitationErrorCode, self._failure)  # type: ignore

    def __repr__(self) -> str:
        return f"<RemoteInvitation {self.invitation_id} from {self.caller_id!r} {self.state.name}>"


_TERMINAL_REMOTE = (
    "remote_invitation_accepted",
    "remote_invitation_refused",
    "remote_invitation_canceled",
    "remote_invitation_failure",
)

# ---- channels -------------------------------------------------------------------------------------------


class Channel(_Emitter):
    """A channel of a client (RTM's RtmChannel). Create it with ``client.create_channel(id)``; its
    events are registered like the client's (``@channel.on("message_received")``, a
    ChannelEventHandler). ``close()`` (or leaving a ``with`` block) leaves it and releases it."""

    _EVENTS = CHANNEL_EVENTS
    _HANDLER_BASE = ChannelEventHandler

    def __init__(self, client: "_ClientCore", channel_id: str, key: int, handler: Any = None) -> None:
        super().__init__()
        self._client = client
        self._key = key
        self._c = client._c.create_channel(channel_id, key)
        self.channel_id: str = channel_id
        if handler is not None:
            self.add_handler(handler)

    @property
    def client(self) -> "_ClientCore":
        return self._client

    @property
    def closed(self) -> bool:
        return self._c.closed

    def join(self) -> None:
        """Joins; then join_success or join_failure. Raises JoinChannelError when refused at once."""
        self._c.join()

    def leave(self) -> None:
        """Leaves; then leave. Raises LeaveChannelError when refused at once."""
        self._c.leave()

    def send_message(self, message: MessageLike, *, offline: bool = False, historical: bool = False) -> int:
        """Sends to the channel's other members; returns the message id that send_message_result
        carries. Raises ChannelMessageError when refused at once."""
        m = Message.of(message)
        return self._c.send_message(int(m.type), m.text, m.raw, offline, historical)

    def get_members(self) -> None:
        """Asks for the members; then get_members_result. Raises GetMembersError when refused."""
        self._c.get_members()

    def close(self) -> None:
        """Leaves the channel if joined and releases it: no event of it follows. Idempotent; also
        allowed from the channel's own callbacks."""
        self._c.close()
        self._client._channels.pop(self._key, None)

    release = close

    def __enter__(self) -> "Channel":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__} {self.channel_id!r}>"


# ---- the client --------------------------------------------------------------------------------------


class _ClientCore(_Emitter):
    """What the callback client and the asyncio client share: the operations and the conversion of
    the library's callbacks into typed events. ``_post(fn, *args)`` decides where events run."""

    _EVENTS = CLIENT_EVENTS
    _HANDLER_BASE = EventHandler
    _channel_class: type = Channel

    def __init__(
        self,
        app_id: str,
        *,
        url: str = "ws://127.0.0.1:9600",
        poll_mode: bool = False,
        config: Optional[Mapping[str, Any]] = None,
        options: Mapping[str, Any],
    ) -> None:
        super().__init__()
        conf = [("app_id", app_id), ("url", url)]
        for k, v in {**(config or {}), **options}.items():
            conf.append((k, _conf_value(v)))
        self._channels: dict[int, Channel] = {}
        self._keys = itertools.count(1)
        self._local_invitations: "weakref.WeakValueDictionary[int, LocalInvitation]" = weakref.WeakValueDictionary()
        self._remote_invitations: dict[int, RemoteInvitation] = {}
        callbacks = [getattr(self, "_c_" + name) for name in _rtmkit.EVENTS]
        self._c = _rtmkit.Client(conf, callbacks, poll_mode)

    def _post(self, fn: Callable[..., Any], *args: Any) -> None:
        fn(*args)

    # -- lifecycle

    def _close_now(self) -> None:
        for ch in list(self._channels.values()):
            ch._c.close()
        self._channels.clear()
        self._c.close()

    @property
    def closed(self) -> bool:
        return self._c.closed

    # -- session

    def login(self, user_id: str, token: Optional[str] = None) -> None:
        """Logs in (token: None when the app has no certificate); then login_success or
        login_failure. Raises LoginError when refused at once."""
        self._c.login(token, user_id)

    def logout(self) -> None:
        self._c.logout()

    def renew_token(self, token: str) -> None:
        self._c.renew_token(token)

    @property
    def state(self) -> ConnectionState:
        return to_enum(ConnectionState, self._c.state())  # type: ignore[return-value]

    @property
    def user_id(self) -> str:
        """The user id of the last login."""
        return self._c.user_id()

    # -- peer messages

    def _send_peer(self, peer_id: str, message: MessageLike, offline: bool, historical: bool) -> int:
        m = Message.of(message)
        return self._c.send_message_to_peer(peer_id, int(m.type), m.text, m.raw, offline, historical)

    # -- channels

    def create_channel(self, channel_id: str, handler: Any = None) -> Channel:
        """A channel (not joined yet). Raises LibraryError(INVALID_ARG) for an invalid id or one a
        live channel of this client already has."""
        key = next(self._keys)
        ch = self._channel_class(self, channel_id, key, handler)
        self._channels[key] = ch
        return ch

    @property
    def channels(self) -> list[Channel]:
        return list(self._channels.values())

    # -- invitations

    def create_local_invitation(
        self, callee_id: str, *, content: Optional[str] = None, channel_id: Optional[str] = None
    ) -> LocalInvitation:
        inv = LocalInvitation(self._c.create_local_invitation(callee_id))
        if content is not None:
            inv.content = content
        if channel_id is not None:
            inv.channel_id = channel_id
        self._local_invitations[inv.invitation_id] = inv
        return inv

    def _local(self, inv_id: int, copy: Any) -> LocalInvitation:
        inv = self._local_invitations.get(inv_id)
        if inv is None:
            inv = LocalInvitation(copy)
            self._local_invitations[inv_id] = inv
        return inv

    def _remote(self, inv_id: int, copy: Any, terminal: bool = False) -> RemoteInvitation:
        inv = self._remote_invitations.get(inv_id)
        if inv is None:
            inv = RemoteInvitation(copy)
            if not terminal:
                self._remote_invitations[inv_id] = inv
        elif terminal:
            del self._remote_invitations[inv_id]
        return inv

    # -- raw callbacks of _rtmkit (the order of _rtmkit.EVENTS) ------------------------------------

    def _c_connection_state_changed(self, state: int, reason: int) -> None:
        self._post(
            self._emit,
            "connection_state_changed",
            to_enum(ConnectionState, state),
            to_enum(ConnectionChangeReason, reason),
        )

    def _c_login_success(self) -> None:
        self._post(self._emit, "login_success")

    def _c_login_failure(self, code: int) -> None:
        self._post(self._emit, "login_failure", to_enum(LoginErrorCode, code))

    def _c_logout(self, code: int) -> None:
        self._post(self._emit, "logout", to_enum(LogoutErrorCode, code))

    def _c_renew_token_result(self, token: str, code: int) -> None:
        self._post(self._emit, "renew_token_result", token, to_enum(RenewTokenErrorCode, code))

    def _c_token_expired(self) -> None:
        self._post(self._emit, "token_expired")

    def _c_token_privilege_will_expire(self) -> None:
        self._post(self._emit, "token_privilege_will_expire")

    def _c_send_message_result(self, message_id: int, code: int) -> None:
        self._post(self._emit, "send_message_result", message_id, to_enum(PeerMessageErrorCode, code))

    def _c_message_received_from_peer(self, peer_id: str, f: tuple) -> None:
        self._post(self._emit, "message_received_from_peer", peer_id, Message._from_fields(f))

    def _ch_emit(self, key: int, name: str, *args: Any) -> None:
        # An event of the channel object `key`, unless it is gone already.
        ch = self._channels.get(key)
        if ch is not None:
            self._post(ch._emit, name, *args)

    def _c_channel_join_success(self, key: int) -> None:
        self._ch_emit(key, "join_success")

    def _c_channel_join_failure(self, key: int, code: int) -> None:
        self._ch_emit(key, "join_failure", to_enum(JoinChannelErrorCode, code))

    def _c_channel_leave(self, key: int, code: int) -> None:
        self._ch_emit(key, "leave", to_enum(LeaveChannelErrorCode, code))

    def _c_channel_message_received(self, key: int, member_id: str, f: tuple) -> None:
        self._ch_emit(key, "message_received", member_id, Message._from_fields(f))

    def _c_channel_send_message_result(self, key: int, message_id: int, code: int) -> None:
        self._ch_emit(key, "send_message_result", message_id, to_enum(ChannelMessageErrorCode, code))

    def _c_channel_member_joined(self, key: int, member_id: str) -> None:
        self._ch_emit(key, "member_joined", member_id)

    def _c_channel_member_left(self, key: int, member_id: str) -> None:
        self._ch_emit(key, "member_left", member_id)

    def _c_channel_get_members_result(self, key: int, members: list, code: int) -> None:
        self._ch_emit(key, "get_members_result", members, to_enum(GetMembersErrorCode, code))

    def _c_channel_member_count_updated(self, key: int, count: int) -> None:
        self._ch_emit(key, "member_count_updated", count)

    def _c_channel_attributes_updated(self, key: int, items: list) -> None:
        self._ch_emit(key, "attributes_updated", _channel_attributes(items))

    def _c_query_peers_online_status_result(self, rid: int, pairs: list, code: int) -> None:
        self._post(
            self._emit,
            "query_peers_online_status_result",
            rid,
            _statuses(pairs),
            to_enum(QueryPeersOnlineStatusErrorCode, code),
        )

    def _c_subscription_request_result(self, rid: int, code: int) -> None:
        self._post(self._emit, "subscription_request_result", rid, to_enum(PeerSubscriptionStatusErrorCode, code))

    def _c_query_peers_by_subscription_option_result(self, rid: int, peers: list, code: int) -> None:
        self._post(
            self._emit,
            "query_peers_by_subscription_option_result",
            rid,
            peers,
            to_enum(QueryPeersBySubscriptionOptionErrorCode, code),
        )

    def _c_peers_online_status_changed(self, pairs: list) -> None:
        self._post(self._emit, "peers_online_status_changed", _statuses(pairs))

    def _attr_result(self, name: str, rid: int, code: int) -> None:
        self._post(self._emit, name, rid, to_enum(AttributeOperationErrorCode, code))

    def _c_set_local_user_attributes_result(self, rid: int, code: int) -> None:
        self._attr_result("set_local_user_attributes_result", rid, code)

    def _c_add_or_update_local_user_attributes_result(self, rid: int, code: int) -> None:
        self._attr_result("add_or_update_local_user_attributes_result", rid, code)

    def _c_delete_local_user_attributes_result(self, rid: int, code: int) -> None:
        self._attr_result("delete_local_user_attributes_result", rid, code)

    def _c_clear_local_user_attributes_result(self, rid: int, code: int) -> None:
        self._attr_result("clear_local_user_attributes_result", rid, code)

    def _c_get_user_attributes_result(self, rid: int, user_id: str, items: list, code: int) -> None:
        self._post(
            self._emit,
            "get_user_attributes_result",
            rid,
            user_id,
            dict(items),
            to_enum(AttributeOperationErrorCode, code),
        )

    def _c_set_channel_attributes_result(self, rid: int, code: int) -> None:
        self._attr_result("set_channel_attributes_result", rid, code)

    def _c_add_or_update_channel_attributes_result(self, rid: int, code: int) -> None:
        self._attr_result("add_or_update_channel_attributes_result", rid, code)

    def _c_delete_channel_attributes_result(self, rid: int, code: int) -> None:
        self._attr_result("delete_channel_attributes_result", rid, code)

    def _c_clear_channel_attributes_result(self, rid: int, code: int) -> None:
        self._attr_result("clear_channel_attributes_result", rid, code)

    def _c_get_channel_attributes_result(self, rid: int, items: list, code: int) -> None:
        self._post(
            self._emit,
            "get_channel_attributes_result",
            rid,
            _channel_attributes(items),
            to_enum(AttributeOperationErrorCode, code),
        )

    def _c_get_channel_member_count_result(self, rid: int, pairs: list, code: int) -> None:
        self._post(
            self._emit,
            "get_channel_member_count_result",
            rid,
            dict(pairs),
            to_enum(GetChannelMemberCountErrorCode, code),
        )

    def _c_local_invitation_received_by_peer(self, inv_id: int, copy: Any) -> None:
        self._post(self._emit, "local_invitation_received_by_peer", self._local(inv_id, copy))

    def _c_local_invitation_accepted(self, inv_id: int, copy: Any, response: str) -> None:
        self._post(self._emit, "local_invitation_accepted", self._local(inv_id, copy), response)

    def _c_local_invitation_refused(self, inv_id: int, copy: Any, response: str) -> None:
        self._post(self._emit, "local_invitation_refused", self._local(inv_id, copy), response)

    def _c_local_invitation_canceled(self, inv_id: int, copy: Any) -> None:
        self._post(self._emit, "local_invitation_canceled", self._local(inv_id, copy))

    def _c_local_invitation_failure(self, inv_id: int, copy: Any, code: int) -> None:
        inv = self._local(inv_id, copy)
        inv._failure = code
        self._post(self._emit, "local_invitation_failure", inv, to_enum(LocalInvitationErrorCode, code))

    def _c_remote_invitation_received(self, inv_id: int, copy: Any) -> None:
        self._post(self._emit, "remote_invitation_received", self._remote(inv_id, copy))

    def _c_remote_invitation_accepted(self, inv_id: int, copy: Any) -> None:
        self._post(self._emit, "remote_invitation_accepted", self._remote(inv_id, copy, True))

    def _c_remote_invitation_refused(self, inv_id: int, copy: Any) -> None:
        self._post(self._emit, "remote_invitation_refused", self._remote(inv_id, copy, True))

    def _c_remote_invitation_canceled(self, inv_id: int, copy: Any) -> None:
        self._post(self._emit, "remote_invitation_canceled", self._remote(inv_id, copy, True))

    def _c_remote_invitation_failure(self, inv_id: int, copy: Any, code: int) -> None:
        inv = self._remote(inv_id, copy, True)
        inv._failure = code
        self._post(self._emit, "remote_invitation_failure", inv, to_enum(RemoteInvitationErrorCode, code))


class Client(_ClientCore):
    """An RTM client (one user session) whose events arrive as callbacks.

    ``dispatch="thread"`` (default): callbacks run on the client's own dispatcher thread, one at a
    time, in order. ``dispatch="poll"``: they run inside ``client.poll()`` on the calling thread
    (``client.fileno()`` turns readable when some are pending). Every operation returns at once:
    ``None`` or the id its result callback carries, or raises the RtmError of its RTM code when the
    library refused it on the spot. Keyword options are the configuration keys of the C API
    (docs/c-api.md): ``login_timeout_ms=3000``, ``tls_insecure_skip_verify=True``...; ``config``
    takes any key, dotted ones included.

    A client lives until ``close()`` (or the end of its ``with`` block, or interpreter exit).
    """

    def __init__(
        self,
        app_id: str,
        *,
        url: str = "ws://127.0.0.1:9600",
        handler: Any = None,
        dispatch: str = "thread",
        config: Optional[Mapping[str, Any]] = None,
        **options: Any,
    ) -> None:
        if dispatch not in ("thread", "poll"):
            raise ValueError("dispatch is 'thread' or 'poll'")
        super().__init__(app_id, url=url, poll_mode=dispatch == "poll", config=config, options=options)
        if handler is not None:
            self.add_handler(handler)

    # -- lifecycle

    def close(self) -> None:
        """Closes the client: no callback starts afterwards, one in flight is waited for, channels
        are released. Idempotent. Not allowed from the client's own callbacks (InvalidStateError)."""
        self._close_now()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- dispatch

    def poll(self, timeout: Optional[float] = 0.0) -> int:
        """Poll mode: runs the pending callbacks here, first waiting up to ``timeout`` seconds (None:
        without limit) for one. Returns how many ran. The first exception a callback raised is
        re-raised after the others ran."""
        ms = -1 if timeout is None else max(0, int(timeout * 1000))
        return self._c.poll(ms)

    def wakeup(self) -> None:
        """Makes a waiting poll() return (any thread)."""
        self._c.wakeup()

    def fileno(self) -> int:
        """The event fd: readable when callbacks are pending (poll mode). Do not read or close it."""
        return self._c.event_fd()

    # -- peer messages

    def send_message_to_peer(
        self, peer_id: str, message: MessageLike, *, offline: bool = False, historical: bool = False
    ) -> int:
        """Sends a message (str: TEXT, bytes: RAW, or a Message); returns the id send_message_result
        carries. ``offline=True`` stores it for an offline peer (CACHED_BY_SERVER)."""
        return self._send_peer(peer_id, message, offline, historical)

    # -- presence

    def query_peers_online_status(self, peer_ids: Iterable[str]) -> int:
        return self._c.query_peers_online_status(_ids(peer_ids))

    def subscribe_peers_online_status(self, peer_ids: Iterable[str]) -> int:
        return self._c.subscribe_peers_online_status(_ids(peer_ids))

    def unsubscribe_peers_online_status(self, peer_ids: Iterable[str]) -> int:
        return self._c.unsubscribe_peers_online_status(_ids(peer_ids))

    def query_peers_by_subscription_option(
        self, option: PeerSubscriptionOption = PeerSubscriptionOption.ONLINE_STATUS
    ) -> int:
        return self._c.query_peers_by_subscription_option(int(option))

    # -- user attributes

    def set_local_user_attributes(self, attributes: Attributes) -> int:
        return self._c.set_local_user_attributes(_pairs(attributes))

    def add_or_update_local_user_attributes(self, attributes: Attributes) -> int:
        return self._c.add_or_update_local_user_attributes(_pairs(attributes))

    def delete_local_user_attributes_by_keys(self, keys: Iterable[str]) -> int:
        return self._c.delete_local_user_attributes_by_keys(_ids(keys))

    def clear_local_user_attributes(self) -> int:
        return self._c.clear_local_user_attributes()

    def get_user_attributes(self, user_id: str) -> int:
        return self._c.get_user_attributes(user_id)

    def get_user_attributes_by_keys(self, user_id: str, keys: Iterable[str]) -> int:
        return self._c.get_user_attributes_by_keys(user_id, _ids(keys))

    # -- channel attributes, member counts

    def set_channel_attributes(self, channel_id: str, attributes: Attributes, *, notify: bool = False) -> int:
        return self._c.set_channel_attributes(channel_id, _pairs(attributes), notify)

    def add_or_update_channel_attributes(self, channel_id: str, attributes: Attributes, *, notify: bool = False) -> int:
        return self._c.add_or_update_channel_attributes(channel_id, _pairs(attributes), notify)

    def delete_channel_attributes_by_keys(self, channel_id: str, keys: Iterable[str], *, notify: bool = False) -> int:
        return self._c.delete_channel_attributes_by_keys(channel_id, _ids(keys), notify)

    def clear_channel_attributes(self, channel_id: str, *, notify: bool = False) -> int:
        return self._c.clear_channel_attributes(channel_id, notify)

    def get_channel_attributes(self, channel_id: str) -> int:
        return self._c.get_channel_attributes(channel_id)

    def get_channel_attributes_by_keys(self, channel_id: str, keys: Iterable[str]) -> int:
        return self._c.get_channel_attributes_by_keys(channel_id, _ids(keys))

    def get_channel_member_count(self, channel_ids: Iterable[str]) -> int:
        return self._c.get_channel_member_count(_ids(channel_ids))

    # -- invitations

    def send_local_invitation(self, invitation: LocalInvitation) -> None:
        """Sends it; then local_invitation_received_by_peer, and accepted / refused / failure."""
        self._c.send_local_invitation(invitation._h)

    def cancel_local_invitation(self, invitation: LocalInvitation) -> None:
        self._c.cancel_local_invitation(invitation._h)

    def accept_remote_invitation(self, invitation: RemoteInvitation, response: Optional[str] = None) -> None:
        if response is not None:
            invitation.response = response
        self._c.accept_remote_invitation(invitation._h)

    def refuse_remote_invitation(self, invitation: RemoteInvitation, response: Optional[str] = None) -> None:
        if response is not None:
            invitation.response = response
        self._c.refuse_remote_invitation(invitation._h)

    def __repr__(self) -> str:
        state = "closed" if self.closed else self.state.name
        return f"<rtmkit.Client {state}>"
