"""rtmkit.signaling: the legacy Agora Signaling API (IAgoraAPI / ICallBack) on rtmkit.

A program written against Signaling moves by renaming: ``messageInstantSend`` is
``message_instant_send``, ``onLoginSuccess`` is the ``login_success`` event, AGORA_E_CODE numbers
keep their values (``SigErrorCode``). Signaling users and RTM users of the same app exchange peer
messages, meet in channels and invite each other (docs/migrating-from-signaling.md).

- ``Signal``: operations return at once, outcomes arrive as events (``on()``, decorators, a
  ``SignalEventHandler``), on the instance's dispatcher thread or inside ``poll()``.
- ``AsyncSignal``: the same for asyncio, with awaitables for the operations that have an outcome
  (login, messages, channel join/leave, queries, attributes, invoke) and ``async for``.

The legacy ``uid`` arguments (always 0: the account is the identity) are left out of the events.
"""

from __future__ import annotations

import collections
import enum
import itertools
import json
from collections.abc import Mapping
from typing import Any, Callable, Optional, Union

from . import _rtmkit as _rtmkit
from ._enums import to_enum
from ._errors import RtmError
from ._types import ChannelMessage, Event, Message, PeerMessage
from .aio import Subscription, _LoopDispatch, _settle
from .client import _conf_value, _Emitter

__all__ = [
    "SIGNAL_EVENTS",
    "AsyncSignal",
    "SigErrorCode",
    "Signal",
    "SignalEventHandler",
    "SignalStatus",
    "SignalingError",
    "build_signaling_token",
]


class SigErrorCode(enum.IntEnum):
    """AGORA_E_CODE: the legacy error numbers."""

    E_SUCCESS = 0
    LOGOUT_E_OTHER = 100
    LOGOUT_E_USER = 101
    LOGOUT_E_NET = 102
    LOGOUT_E_KICKED = 103
    LOGOUT_E_PACKET = 104
    LOGOUT_E_TOKENEXPIRED = 105
    LOGOUT_E_OLDVERSION = 106
    LOGOUT_E_TOKENWRONG = 107
    LOGOUT_E_ALREADY_LOGOUT = 108
    LOGIN_E_OTHER = 200
    LOGIN_E_NET = 201
    LOGIN_E_FAILED = 202
    LOGIN_E_CANCEL = 203
    LOGIN_E_TOKENEXPIRED = 204
    LOGIN_E_OLDVERSION = 205
    LOGIN_E_TOKENWRONG = 206
    LOGIN_E_TOKEN_KICKED = 207
    LOGIN_E_ALREADY_LOGIN = 208
    LOGIN_E_INVALID_USER = 209
    JOINCHANNEL_E_OTHER = 300
    SENDMESSAGE_E_OTHER = 400
    SENDMESSAGE_E_TIMEOUT = 401
    QUERYUSERNUM_E_OTHER = 500
    QUERYUSERNUM_E_TIMEOUT = 501
    QUERYUSERNUM_E_BYUSER = 502
    LEAVECHANNEL_E_OTHER = 600
    LEAVECHANNEL_E_KICKED = 601
    LEAVECHANNEL_E_BYUSER = 602
    LEAVECHANNEL_E_LOGOUT = 603
    LEAVECHANNEL_E_DISCONN = 604
    INVITE_E_OTHER = 700
    INVITE_E_REINVITE = 701
    INVITE_E_NET = 702
    INVITE_E_PEEROFFLINE = 703
    INVITE_E_TIMEOUT = 704
    INVITE_E_CANTRECV = 705
    GENERAL_E = 1000
    GENERAL_E_FAILED = 1001
    GENERAL_E_UNKNOWN = 1002
    GENERAL_E_NOT_LOGIN = 1003
    GENERAL_E_WRONG_PARAM = 1004
    GENERAL_E_LARGE_PARAM = 1005


class SignalStatus(enum.IntEnum):
    """getStatus values."""

    NOT_LOGGED_IN = 0
    LOGGING_IN = 1
    LOGGED_IN = 2
    RECONNECTING = 3


class SignalingError(RtmError):
    """A Signaling operation failed: ``code`` is a SigErrorCode."""


#: Every event of a Signal instance, with the names of its callback's arguments.
SIGNAL_EVENTS: dict[str, tuple[str, ...]] = {
    "login_success": (),
    "login_failed": ("ecode",),
    "logout": ("ecode",),
    "reconnecting": ("nretry",),
    "reconnected": (),
    "channel_joined": ("channel",),
    "channel_join_failed": ("channel", "ecode"),
    "channel_leaved": ("channel", "ecode"),
    "channel_user_joined": ("account",),
    "channel_user_leaved": ("account",),
    "channel_user_list": ("accounts",),
    "channel_attr_updated": ("channel", "name", "value", "type"),
    "channel_query_user_num_result": ("channel", "ecode", "num"),
    "channel_query_user_is_in": ("channel", "account", "is_in"),
    "message_instant_receive": ("account", "msg"),
    "message_channel_receive": ("channel", "account", "msg"),
    "message_send_success": ("message_id",),
    "message_send_error": ("message_id", "ecode"),
    "invite_received": ("channel", "account", "extra"),
    "invite_received_by_peer": ("channel", "account"),
    "invite_accepted_by_peer": ("channel", "account", "extra"),
    "invite_refused_by_peer": ("channel", "account", "extra"),
    "invite_failed": ("channel", "account", "ecode", "extra"),
    "invite_end_by_peer": ("channel", "account", "extra"),
    "invite_end_by_myself": ("channel", "account"),
    "invite_msg": ("channel", "account", "msg_type", "msg_data", "extra"),
    "invoke_ret": ("call_id", "err", "resp"),
    "query_user_status_result": ("account", "status"),
    "user_attr_result": ("account", "name", "value"),
    "user_attr_all_result": ("account", "value_json"),
    "error": ("name", "ecode", "desc"),
}

# The position of the AGORA_E_CODE argument of the events that have one (made a SigErrorCode).
_ECODE_AT = {
    name: args.index("ecode") if "ecode" in args else args.index("err")
    for name, args in SIGNAL_EVENTS.items()
    if "ecode" in args or "err" in args
}


def build_signaling_token(app_id: str, app_certificate: str, account: str, expired_ts: int) -> str:
    """A legacy Signaling token ("1:appId:expiredTs:md5"), valid until ``expired_ts`` (Unix seconds)."""
    return _rtmkit.token_build_signaling(app_id, app_certificate, account, expired_ts)


def _extra(extra: Union[str, Mapping[str, Any], None]) -> Optional[str]:
    if extra is None or isinstance(extra, str):
        return extra
    return json.dumps(dict(extra))


class SignalEventHandler:
    """A base class for handler objects (the legacy ICallBack): override the ``on_<event>`` methods
    you need; ``Signal(..., handler=h)`` or ``signal.add_handler(h)``."""

    def on_login_success(self) -> None: ...
    def on_login_failed(self, ecode: SigErrorCode) -> None: ...
    def on_logout(self, ecode: SigErrorCode) -> None: ...
    def on_reconnecting(self, nretry: int) -> None: ...
    def on_reconnected(self) -> None: ...
    def on_channel_joined(self, channel: str) -> None: ...
    def on_channel_join_failed(self, channel: str, ecode: SigErrorCode) -> None: ...
    def on_channel_leaved(self, channel: str, ecode: SigErrorCode) -> None: ...
    def on_channel_user_joined(self, account: str) -> None: ...
    def on_channel_user_leaved(self, account: str) -> None: ...
    def on_channel_user_list(self, accounts: list[str]) -> None: ...
    def on_channel_attr_updated(self, channel: str, name: str, value: str, type: str) -> None: ...
    def on_channel_query_user_num_result(self, channel: str, ecode: SigErrorCode, num: int) -> None: ...
    def on_channel_query_user_is_in(self, channel: str, account: str, is_in: bool) -> None: ...
    def on_message_instant_receive(self, account: str, msg: str) -> None: ...
    def on_message_channel_receive(self, channel: str, account: str, msg: str) -> None: ...
    def on_message_send_success(self, message_id: str) -> None: ...
    def on_message_send_error(self, message_id: str, ecode: SigErrorCode) -> None: ...
    def on_invite_received(self, channel: str, account: str, extra: str) -> None: ...
    def on_invite_received_by_peer(self, channel: str, account: str) -> None: ...
    def on_invite_accepted_by_peer(self, channel: str, account: str, extra: str) -> None: ...
    def on_invite_refused_by_peer(self, channel: str, account: str, extra: str) -> None: ...
    def on_invite_failed(self, channel: str, account: str, ecode: SigErrorCode, extra: str) -> None: ...
    def on_invite_end_by_peer(self, channel: str, account: str, extra: str) -> None: ...
    def on_invite_end_by_myself(self, channel: str, account: str) -> None: ...
    def on_invite_msg(self, channel: str, account: str, msg_type: str, msg_data: str, extra: str) -> None: ...
    def on_invoke_ret(self, call_id: str, err: SigErrorCode, resp: str) -> None: ...
    def on_query_user_status_result(self, account: str, status: str) -> None: ...
    def on_user_attr_result(self, account: str, name: str, value: str) -> None: ...
    def on_user_attr_all_result(self, account: str, value_json: str) -> None: ...
    def on_error(self, name: str, ecode: SigErrorCode, desc: str) -> None: ...


class _SignalCore(_Emitter):
    _EVENTS = SIGNAL_EVENTS
    _HANDLER_BASE = SignalEventHandler

    def _init_signal(
        self, app_id: str, url: str, poll_mode: bool, config: Optional[Mapping[str, Any]], options: Mapping[str, Any]
    ) -> None:
        _Emitter.__init__(self)
        conf = [("app_id", app_id), ("url", url)]
        for k, v in {**(config or {}), **options}.items():
            conf.append((k, _conf_value(v)))
        self._ids = itertools.count(1)
        callbacks = [self._callback(name) for name in _rtmkit.SIGNAL_EVENTS]
        self._c = _rtmkit.Signal(conf, callbacks, poll_mode)

    def _callback(self, name: str) -> Callable[..., None]:
        at = _ECODE_AT.get(name)

        def fire(*args: Any) -> None:
            if at is not None:
                args = args[:at] + (to_enum(SigErrorCode, args[at]),) + args[at + 1 :]
            self._post(self._emit, name, *args)

        return fire

    def _post(self, fn: Callable[..., Any], *args: Any) -> None:
        fn(*args)

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids)}"

    # -- lifecycle

    @property
    def closed(self) -> bool:
        return self._c.closed

    @property
    def status(self) -> SignalStatus:
        """getStatus."""
        return to_enum(SignalStatus, self._c.status())  # type: ignore[return-value]

    @property
    def account(self) -> str:
        return self._c.account()

    # -- fire-and-forget operations (their failures arrive as the `error` event)

    def channel_set_attr(self, channel: str, name: str, value: str) -> None:
        self._c.channel_set_attr(channel, name, value)

    def channel_del_attr(self, channel: str, name: str) -> None:
        self._c.channel_del_attr(channel, name)

    def channel_clear_attr(self, channel: str) -> None:
        self._c.channel_clear_attr(channel)

    def set_attr(self, name: str, value: str) -> None:
        """The local user's attribute (``""`` deletes it)."""
        self._c.set_attr(name, value)

    def channel_invite_user(self, channel: str, account: str) -> None:
        self._c.channel_invite_user(channel, account)

    def channel_invite_user2(self, channel: str, account: str, extra: Union[str, Mapping[str, Any]] = "") -> None:
        """Calls ``account`` into ``channel``; ``extra`` is "" or a JSON object (a str or a dict):
        ``_require_peer_online``, ``_timeout`` and keys for the callee."""
        self._c.channel_invite_user2(channel, account, _extra(extra))

    def channel_invite_accept(
        self, channel: str, account: str, extra: Union[str, Mapping[str, Any], None] = None
    ) -> None:
        self._c.channel_invite_accept(channel, account, _extra(extra))

    def channel_invite_refuse(
        self, channel: str, account: str, extra: Union[str, Mapping[str, Any], None] = None
    ) -> None:
        self._c.channel_invite_refuse(channel, account, _extra(extra))

    def channel_invite_end(self, channel: str, account: str) -> None:
        self._c.channel_invite_end(channel, account)

    def channel_invite_dtmf(self, channel: str, account: str, dtmf: str) -> None:
        self._c.channel_invite_dtmf(channel, account, dtmf)


class Signal(_SignalCore):
    """A Signal instance (the legacy IAgoraAPI) of one app id, with callbacks.

    Every operation returns at once; its outcome arrives as events with AGORA_E_CODE numbers. A
    ``LibraryError`` is raised only for a programming error (a destroyed instance). ``dispatch`` and
    the keyword options are those of rtmkit.Client.
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
        self._init_signal(app_id, url, dispatch == "poll", config, options)
        if handler is not None:
            self.add_handler(handler)

    def close(self) -> None:
        """Logs out if needed and releases the instance (idempotent)."""
        self._c.close()

    def __enter__(self) -> "Signal":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def poll(self, timeout: Optional[float] = 0.0) -> int:
        return self._c.poll(-1 if timeout is None else max(0, int(timeout * 1000)))

    def wakeup(self) -> None:
        self._c.wakeup()

    def fileno(self) -> int:
        return self._c.event_fd()

    def login(self, account: str, token: str = "_no_need_token") -> None:
        """login: a Signaling token, an RTM 006/007 token, or "_no_need_token"; then login_success
        or login_failed."""
        self._c.login(account, token)

    def login2(self, account: str, token: str = "_no_need_token", retry_time_s: int = 30, retry_count: int = 3) -> None:
        self._c.login2(account, token, retry_time_s, retry_count)

    def logout(self) -> None:
        self._c.logout()

    def message_instant_send(self, account: str, msg: str, msg_id: Optional[str] = None) -> str:
        """Sends a text peer message; returns its id (message_send_success / _error carry it)."""
        mid = msg_id or self._next_id("msg")
        self._c.message_instant_send(account, msg, mid)
        return mid

    def message_channel_send(self, channel: str, msg: str, msg_id: Optional[str] = None) -> str:
        mid = msg_id or self._next_id("msg")
        self._c.message_channel_send(channel, msg, mid)
        return mid

    def channel_join(self, channel: str) -> None:
        self._c.channel_join(channel)

    def channel_leave(self, channel: str) -> None:
        self._c.channel_leave(channel)

    def channel_query_user_num(self, channel: str) -> None:
        self._c.channel_query_user_num(channel)

    def channel_query_user_is_in(self, channel: str, account: str) -> None:
        self._c.channel_query_user_is_in(channel, account)

    def query_user_status(self, account: str) -> None:
        self._c.query_user_status(account)

    def get_attr(self, name: str) -> None:
        self._c.get_attr(name)

    def get_attr_all(self) -> None:
        self._c.get_attr_all()

    def get_user_attr(self, account: str, name: str) -> None:
        self._c.get_user_attr(account, name)

    def get_user_attr_all(self, account: str) -> None:
        self._c.get_user_attr_all(account)

    def invoke(self, name: str, req: Union[str, Mapping[str, Any]] = "{}", call_id: Optional[str] = None) -> str:
        """invoke("io.agora.signal.<command>", request); returns the call id invoke_ret carries."""
        cid = call_id or self._next_id("call")
        self._c.invoke(name, req if isinstance(req, str) else json.dumps(dict(req)), cid)
        return cid

    def __repr__(self) -> str:
        return f"<rtmkit.signaling.Signal {'closed' if self.closed else self.status.name}>"


# Operations whose failure arrives as the `error` event, by the legacy operation name it carries.
_ERROR_KINDS = {
    "queryUserStatus": "status",
    "getUserAttr": "attr",
    "getAttr": "attr",
    "getUserAttrAll": "attrall",
    "getAttrAll": "attrall",
}


class AsyncSignal(_LoopDispatch, _SignalCore):
    """A Signal instance for asyncio (create it inside a coroutine). The operations that have an
    outcome are awaitables that raise SignalingError with the AGORA_E_CODE; the others (attributes
    of channels, invitations) return at once as with Signal. ``messages()``, ``channel_messages()``
    and ``events()`` are async iterators; ``wait_for(event, predicate)`` waits for one event.
    ``dispatch`` is "auto", "fd" or "thread" as for rtmkit.aio.Client."""

    def __init__(
        self,
        app_id: str,
        *,
        url: str = "ws://127.0.0.1:9600",
        handler: Any = None,
        dispatch: str = "auto",
        max_queued: int = 65536,
        config: Optional[Mapping[str, Any]] = None,
        **options: Any,
    ) -> None:
        self._init_loop(dispatch, max_queued)
        # kind -> [(key, future)], oldest first
        self._waiting: dict[str, collections.deque[tuple[Any, Any]]] = {}
        self._init_signal(app_id, url, not self._thread_mode, config, options)
        if not self._thread_mode and not self._start_reader():
            self._c.close()
            if dispatch == "fd":
                raise NotImplementedError("this event loop cannot watch a file descriptor (add_reader)")
            self._thread_mode = True
            self._init_signal(app_id, url, False, config, options)
        if handler is not None:
            self.add_handler(handler)

    async def close(self) -> None:
        if self._c.closed:
            return
        self._stop_reader()
        await self._loop.run_in_executor(None, self._c.close)
        exc = SignalingError(SigErrorCode.GENERAL_E_FAILED, "the Signal instance is closed")
        for q in self._waiting.values():
            while q:
                _settle(q.popleft()[1], exc=exc)
        self._end_subscriptions()

    async def __aenter__(self) -> "AsyncSignal":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    # -- waiting for outcomes

    async def _wait(self, kind: str, key: Any) -> Any:
        fut = self._future()
        self._waiting.setdefault(kind, collections.deque()).append((key, fut))
        if self._reading:
            # An operation refused at once is answered by a timer of the instance, which does not
            # make the event fd readable (a gap of rtm_sig_event_fd): run the due ones now.
            self._loop.call_soon(self._drain)
        return await fut

    def _resolve(self, kind: str, key: Any, result: Any = None, exc: Optional[BaseException] = None) -> None:
        q = self._waiting.get(kind)
        if not q:
            return
        for i, (k, fut) in enumerate(q):
            if key is None or k == key:
                del q[i]
                _settle(fut, result, exc)
                return

    def _emit(self, name: str, *args: Any) -> None:
        settle = _SIG_SETTLERS.get(name)
        if settle is not None:
            settle(self, *args)
        self._push(name, args)
        _SignalCore._emit(self, name, *args)

    # -- iterators

    def messages(self) -> Subscription[PeerMessage]:
        """``async for m in sig.messages()``: instant messages, as PeerMessage(account, Message(msg))."""
        return Subscription(self, self, ("message_instant_receive",), lambda n, a: PeerMessage(a[0], Message(a[1])))

    def channel_messages(self) -> Subscription[ChannelMessage]:
        """Channel messages (the sender's own included, as in Signaling)."""
        return Subscription(
            self, self, ("message_channel_receive",), lambda n, a: ChannelMessage(a[0], a[1], Message(a[2]))
        )

    def events(self, *names: str) -> Subscription[Event]:
        checked = tuple(self._check_event(n) for n in names) or ("*",)
        return Subscription(self, self, checked, self._event)

    async def wait_for(
        self, event: str, predicate: Optional[Callable[..., bool]] = None, timeout: Optional[float] = None
    ) -> Event:
        import asyncio

        with self.events(event) as sub:

            async def first() -> Event:
                async for e in sub:
                    if predicate is None or predicate(*e.args.values()):
                        return e
                raise SignalingError(SigErrorCode.GENERAL_E_FAILED, "the Signal instance is closed")

            return await asyncio.wait_for(first(), timeout)

    # -- awaitable operations

    async def login(self, account: str, token: str = "_no_need_token") -> None:
        """Logs in; raises SignalingError (LOGIN_E_*)."""
        self._c.login(account, token)
        await self._wait("login", None)

    async def login2(
        self, account: str, token: str = "_no_need_token", retry_time_s: int = 30, retry_count: int = 3
    ) -> None:
        self._c.login2(account, token, retry_time_s, retry_count)
        await self._wait("login", None)

    async def logout(self) -> SigErrorCode:
        """Logs out; completes with the logout code (LOGOUT_E_USER)."""
        self._c.logout()
        return await self._wait("logout", None)

    async def message_instant_send(self, account: str, msg: str, msg_id: Optional[str] = None) -> str:
        """Completes with the message id once rtmd has the message; raises SignalingError."""
        mid = msg_id or self._next_id("msg")
        self._c.message_instant_send(account, msg, mid)
        return await self._wait("msg", mid)

    async def message_channel_send(self, channel: str, msg: str, msg_id: Optional[str] = None) -> str:
        mid = msg_id or self._next_id("msg")
        self._c.message_channel_send(channel, msg, mid)
        return await self._wait("msg", mid)

    async def channel_join(self, channel: str) -> None:
        """Joins (leaving the current channel); raises SignalingError."""
        self._c.channel_join(channel)
        await self._wait("join", channel)

    async def channel_leave(self, channel: str) -> SigErrorCode:
        """Leaves; completes with the leave code (LEAVECHANNEL_E_BYUSER)."""
        self._c.channel_leave(channel)
        return await self._wait("leave", channel)

    async def channel_query_user_num(self, channel: str) -> int:
        self._c.channel_query_user_num(channel)
        return await self._wait("num", channel)

    async def channel_query_user_is_in(self, channel: str, account: str) -> bool:
        self._c.channel_query_user_is_in(channel, account)
        return await self._wait("isin", (channel, account))

    async def query_user_status(self, account: str) -> bool:
        """True when the user is online."""
        self._c.query_user_status(account)
        return await self._wait("status", account)

    async def get_attr(self, name: str) -> str:
        self._c.get_attr(name)
        return await self._wait("attr", (self.account, name))

    async def get_attr_all(self) -> dict[str, str]:
        self._c.get_attr_all()
        return await self._wait("attrall", self.account)

    async def get_user_attr(self, account: str, name: str) -> str:
        self._c.get_user_attr(account, name)
        return await self._wait("attr", (account, name))

    async def get_user_attr_all(self, account: str) -> dict[str, str]:
        self._c.get_user_attr_all(account)
        return await self._wait("attrall", account)

    async def invoke(self, name: str, req: Union[str, Mapping[str, Any]] = "{}") -> Any:
        """invoke: completes with the parsed JSON answer; raises SignalingError for a non-zero err."""
        cid = self._next_id("call")
        self._c.invoke(name, req if isinstance(req, str) else json.dumps(dict(req)), cid)
        return await self._wait("invoke", cid)

    def __repr__(self) -> str:
        state = "closed" if self.closed else self.status.name
        return f"<rtmkit.signaling.AsyncSignal {state} dispatch={self.dispatch}>"


def _err(code: int, what: str = "") -> SignalingError:
    return SignalingError(to_enum(SigErrorCode, code), what)


def _on_num(s: AsyncSignal, channel: str, ecode: int, num: int) -> None:
    s._resolve("num", channel, num, _err(ecode) if ecode else None)


def _on_invoke(s: AsyncSignal, call_id: str, err: int, resp: str) -> None:
    if err:
        s._resolve("invoke", call_id, exc=_err(err, resp))
    else:
        s._resolve("invoke", call_id, json.loads(resp or "{}"))


def _on_error(s: AsyncSignal, name: str, ecode: int, desc: str) -> None:
    kind = _ERROR_KINDS.get(name)
    if kind is not None:
        s._resolve(kind, None, exc=_err(ecode, f"{name}: {desc}"))


_SIG_SETTLERS: dict[str, Callable[..., None]] = {
    "login_success": lambda s: s._resolve("login", None),
    "login_failed": lambda s, e: s._resolve("login", None, exc=_err(e)),
    "logout": lambda s, e: s._resolve("logout", None, e),
    "message_send_success": lambda s, mid: s._resolve("msg", mid, mid),
    "message_send_error": lambda s, mid, e: s._resolve("msg", mid, exc=_err(e)),
    "channel_joined": lambda s, ch: s._resolve("join", ch),
    "channel_join_failed": lambda s, ch, e: s._resolve("join", ch, exc=_err(e)),
    "channel_leaved": lambda s, ch, e: s._resolve("leave", ch, e),
    "channel_query_user_num_result": _on_num,
    "channel_query_user_is_in": lambda s, ch, acc, is_in: s._resolve("isin", (ch, acc), bool(is_in)),
    "query_user_status_result": lambda s, acc, st: s._resolve("status", acc, st == "1"),
    "user_attr_result": lambda s, acc, n, v: s._resolve("attr", (acc, n), v),
    "user_attr_all_result": lambda s, acc, js: s._resolve("attrall", acc, json.loads(js or "{}")),
    "invoke_ret": _on_invoke,
    "error": _on_error,
}
