"""rtmkit.aio: the RTM client for asyncio.

Every operation is a coroutine that completes with the operation's outcome (the result callback of
RTM 1.x) or raises the RtmError of its code; messages and events are read with ``async for``.

On selector event loops (the default on Linux and macOS, and uvloop) the client dispatches in poll
mode and the loop watches the library's event fd (``loop.add_reader``): callbacks run on the loop's
thread and no Python code runs on a library thread. Elsewhere (the Windows proactor loop) the client
dispatches on its own thread and hands every event to the loop with ``loop.call_soon_threadsafe``.
Either way, listeners registered with ``on()``/``add_handler()`` run on the loop's thread, and an
exception they raise goes to the loop's exception handler.

    async with rtmkit.aio.Client("demo", url=server.url) as alice:
        await alice.login("alice")
        await alice.send_message_to_peer("bob", "hi")
        async for m in alice.messages():
            print(m.peer_id, m.text)
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Iterable, Mapping
from typing import Any, Callable, Generic, Optional, TypeVar

from ._enums import (
    ChannelMessageErrorCode,
    ErrorCode,
    LocalInvitationState,
    Op,
    PeerMessageErrorCode,
    PeerSubscriptionOption,
)
from ._errors import ClientClosedError, local_invitation_error, remote_invitation_error, result_error
from ._types import ChannelAttribute, ChannelMessage, Event, InvitationResult, MessageLike, PeerMessage
from .client import (
    Attributes,
    LocalInvitation,
    RemoteInvitation,
    _ClientCore,
    _ids,
    _pairs,
)
from .client import Channel as _SyncChannel

__all__ = ["Channel", "Client", "Subscription"]

T = TypeVar("T")

_TERMINAL_LOCAL = (
    LocalInvitationState.ACCEPTED_BY_REMOTE,
    LocalInvitationState.REFUSED_BY_REMOTE,
    LocalInvitationState.CANCELED,
    LocalInvitationState.FAILURE,
)


def _settle(fut: "asyncio.Future[Any]", result: Any = None, exc: Optional[BaseException] = None) -> None:
    """Completes `fut` unless it is done already (its awaiting task may have been cancelled)."""
    if fut.done():
        return
    if exc is not None:
        fut.set_exception(exc)
    else:
        fut.set_result(result)


class Subscription(Generic[T]):
    """An async iterator over items of a client or channel (``client.messages()``, ``events()``...).

    It receives items from the moment it is created until ``close()`` (or the end of an
    ``async with`` block, or the client closing, which ends the iteration)."""

    def __init__(
        self, client: "_LoopDispatch", owner: Any, names: tuple[str, ...], make: Callable[[str, tuple], Any]
    ) -> None:
        self._client = client
        self._owner = owner
        self._names = names
        self._make = make
        self._items: collections.deque[T] = collections.deque()
        self._waiter: Optional[asyncio.Future[None]] = None
        self._closed = False
        self._full = False
        for n in names:
            owner._subs.setdefault(n, []).append(self)

    def _push(self, name: str, args: tuple) -> None:
        self._items.append(self._make(name, args))
        w = self._waiter
        if w is not None and not w.done():
            w.set_result(None)
        if not self._full and len(self._items) >= self._client._high_water:
            self._full = True
            self._client._pause(self)

    def _end(self) -> None:
        self._closed = True
        w = self._waiter
        if w is not None and not w.done():
            w.set_result(None)
        if self._full:
            self._full = False
            self._client._resume(self)

    def close(self) -> None:
        """Stops receiving; items already queued are still returned, then the iteration ends."""
        if self._closed:
            return
        for n in self._names:
            subs = self._owner._subs.get(n)
            if subs and self in subs:
                subs.remove(self)
        self._end()

    def __aiter__(self) -> "Subscription[T]":
        return self

    async def __anext__(self) -> T:
        while not self._items:
            if self._closed:
                raise StopAsyncIteration
            self._waiter = self._client._loop.create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        item = self._items.popleft()
        if self._full and len(self._items) <= self._client._high_water // 2:
            self._full = False
            self._client._resume(self)
        return item

    async def get(self, timeout: Optional[float] = None) -> T:
        """The next item (asyncio.TimeoutError after ``timeout`` seconds; StopAsyncIteration once
        closed and empty)."""
        if timeout is None:
            return await self.__anext__()
        return await asyncio.wait_for(self.__anext__(), timeout)

    def qsize(self) -> int:
        return len(self._items)

    async def __aenter__(self) -> "Subscription[T]":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self.close()

    def __enter__(self) -> "Subscription[T]":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class _LoopDispatch:
    """The asyncio plumbing of a client (or Signal instance) whose library object is ``self._c``:
    the event fd watched by the loop or a dispatcher thread, subscriptions and their back-pressure."""

    _c: Any

    def _init_loop(self, dispatch: str, max_queued: int) -> None:
        if dispatch not in ("auto", "fd", "thread"):
            raise ValueError("dispatch is 'auto', 'fd' or 'thread'")
        self._loop = asyncio.get_running_loop()
        self._high_water = max(2, int(max_queued))
        self._subs: dict[str, list[Subscription[Any]]] = {}
        self._full: set[Subscription[Any]] = set()
        self._reading = False
        self._fd = -1
        self._thread_mode = dispatch == "thread"

    def _start_reader(self) -> bool:
        """Watches the event fd; False where the loop cannot (no add_reader)."""
        self._fd = self._c.event_fd()
        try:
            self._loop.add_reader(self._fd, self._drain)
        except NotImplementedError:
            return False
        self._reading = True
        return True

    def _stop_reader(self) -> None:
        if self._reading:
            self._loop.remove_reader(self._fd)
            self._reading = False

    @property
    def dispatch(self) -> str:
        """``"fd"`` or ``"thread"``: how the events reach the loop."""
        return "thread" if self._thread_mode else "fd"

    def _post(self, fn: Callable[..., Any], *args: Any) -> None:
        if not self._thread_mode:
            fn(*args)  # inside poll(), on the loop's thread
            return
        try:
            self._loop.call_soon_threadsafe(fn, *args)
        except RuntimeError:
            pass  # the loop is closed: nobody is waiting any more

    def _drain(self) -> None:
        if self._c.closed:
            return
        self._c.poll(0)

    def _pause(self, sub: Subscription[Any]) -> None:
        self._full.add(sub)
        if self._reading:
            self._loop.remove_reader(self._fd)
            self._reading = False

    def _resume(self, sub: Subscription[Any]) -> None:
        self._full.discard(sub)
        if not self._full and not self._reading and not self._thread_mode and not self._c.closed:
            self._loop.add_reader(self._fd, self._drain)
            self._reading = True
            self._loop.call_soon(self._drain)  # events may be pending already

    def _future(self) -> "asyncio.Future[Any]":
        return self._loop.create_future()

    def _push(self, name: str, args: tuple) -> None:
        subs = self._subs.get(name)
        if subs:
            for s in subs:
                s._push(name, args)
        subs = self._subs.get("*")
        if subs:
            for s in subs:
                s._push(name, args)

    def _end_subscriptions(self) -> None:
        for subs in list(self._subs.values()):
            for s in list(subs):
                s.close()


class Channel(_SyncChannel):
    """A channel of an asyncio client: ``await ch.join()``, ``async for m in ch.messages()``."""

    def __init__(self, client: "Client", channel_id: str, key: int, handler: Any = None) -> None:
        super().__init__(client, channel_id, key, handler)
        self._aclient = client
        self._subs: dict[str, list[Subscription[Any]]] = {}
        self._join_q: collections.deque[asyncio.Future[None]] = collections.deque()
        self._leave_q: collections.deque[asyncio.Future[None]] = collections.deque()
        self._members_q: collections.deque[asyncio.Future[list[str]]] = collections.deque()
        self._sends: dict[int, asyncio.Future[Any]] = {}

    def _emit(self, name: str, *args: Any) -> None:
        if name == "join_success":
            if self._join_q:
                _settle(self._join_q.popleft())
        elif name == "join_failure":
            if self._join_q:
                _settle(self._join_q.popleft(), exc=result_error(Op.JOIN_CHANNEL, args[0]))
        elif name == "leave":
            if self._leave_q:
                code = args[0]
                fut = self._leave_q.popleft()
                _settle(fut, exc=result_error(Op.LEAVE_CHANNEL, code) if code else None)
        elif name == "get_members_result":
            if self._members_q:
                members, code = args
                _settle(self._members_q.popleft(), members, result_error(Op.GET_MEMBERS, code) if code else None)
        elif name == "send_message_result":
            sent = self._sends.pop(args[0], None)
            if sent is not None:
                code = args[1]
                _settle(sent, code, result_error(Op.SEND_CHANNEL_MESSAGE, code) if code else None)
        subs = self._subs.get(name)
        if subs:
            for s in subs:
                s._push(name, args)
        subs = self._subs.get("*")
        if subs:
            for s in subs:
                s._push(name, args)
        super()._emit(name, *args)

    async def join(self) -> None:  # type: ignore[override]
        """Joins the channel; raises JoinChannelError (refused at once, or join_failure)."""
        self._c.join()
        fut = self._aclient._future()
        self._join_q.append(fut)
        await fut

    async def leave(self) -> None:  # type: ignore[override]
        """Leaves the channel; raises LeaveChannelError."""
        self._c.leave()
        fut = self._aclient._future()
        self._leave_q.append(fut)
        await fut

    async def send_message(  # type: ignore[override]
        self, message: MessageLike, *, offline: bool = False, historical: bool = False
    ) -> ChannelMessageErrorCode:
        """Sends to the other members; completes when the server acknowledged it (OK), or raises
        ChannelMessageError."""
        mid = _SyncChannel.send_message(self, message, offline=offline, historical=historical)
        fut = self._aclient._future()
        self._sends[mid] = fut
        return await fut

    async def get_members(self) -> list[str]:  # type: ignore[override]
        """The member ids; raises GetMembersError."""
        self._c.get_members()
        fut = self._aclient._future()
        self._members_q.append(fut)
        return await fut

    def messages(self) -> Subscription[ChannelMessage]:
        """``async for m in channel.messages()``: the channel messages (ChannelMessage)."""
        cid = self.channel_id
        return Subscription(
            self._aclient, self, ("message_received",), lambda n, a: ChannelMessage(cid, a[0], a[1])
        )

    def events(self, *names: str) -> Subscription[Event]:
        """``async for e in channel.events()``: the channel's events (all, or those named)."""
        checked = tuple(self._check_event(n) for n in names) or ("*",)
        return Subscription(self._aclient, self, checked, self._event)

    def close(self) -> None:
        super().close()
        self._fail_pending(ClientClosedError(ErrorCode.INVALID_STATE, "the channel is closed"))

    def _fail_pending(self, exc: BaseException) -> None:
        queues: tuple[collections.deque[Any], ...] = (self._join_q, self._leave_q, self._members_q)
        for q in queues:
            while q:
                _settle(q.popleft(), exc=exc)
        for f in self._sends.values():
            _settle(f, exc=exc)
        self._sends.clear()
        for subs in list(self._subs.values()):
            for s in list(subs):
                s.close()

    async def __aenter__(self) -> "Channel":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self.close()


class Client(_LoopDispatch, _ClientCore):
    """An RTM client for asyncio. Create it inside a coroutine (it belongs to the running loop).

    ``dispatch``: ``"auto"`` (default: the event fd on loops that support ``add_reader``, else a
    dispatcher thread), ``"fd"`` or ``"thread"``. ``max_queued``: items a Subscription holds before
    the client stops reading its event fd (and the library, then the server, apply back-pressure).
    Other keyword options are the C API's configuration keys, as for rtmkit.Client.
    """

    _channel_class = Channel

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
        self._login_q: collections.deque[asyncio.Future[None]] = collections.deque()
        self._logout_q: collections.deque[asyncio.Future[None]] = collections.deque()
        self._renew_q: collections.deque[asyncio.Future[None]] = collections.deque()
        self._peer_sends: dict[int, asyncio.Future[Any]] = {}
        self._requests: dict[int, tuple[asyncio.Future[Any], Op, Callable[..., Any]]] = {}
        self._inv_waiters: dict[tuple[str, int], list[asyncio.Future[Any]]] = {}
        _ClientCore.__init__(self, app_id, url=url, poll_mode=not self._thread_mode, config=config, options=options)
        if not self._thread_mode and not self._start_reader():
            self._c.close()
            if dispatch == "fd":
                raise NotImplementedError("this event loop cannot watch a file descriptor (add_reader)")
            # A loop without add_reader (the Windows proactor): a dispatcher thread instead.
            self._thread_mode = True
            _ClientCore.__init__(self, app_id, url=url, poll_mode=False, config=config, options=options)
        if handler is not None:
            self.add_handler(handler)

    # -- events: futures first, then subscriptions, then listeners

    def _emit(self, name: str, *args: Any) -> None:
        settle = _SETTLERS.get(name)
        if settle is not None:
            settle(self, *args)
        self._push(name, args)
        _ClientCore._emit(self, name, *args)

    def _s_login_success(self) -> None:
        if self._login_q:
            _settle(self._login_q.popleft())

    def _s_login_failure(self, code: int) -> None:
        if self._login_q:
            _settle(self._login_q.popleft(), exc=result_error(Op.LOGIN, code))

    def _s_logout(self, code: int) -> None:
        if self._logout_q:
            _settle(self._logout_q.popleft(), exc=result_error(Op.LOGOUT, code) if code else None)

    def _s_renew(self, token: str, code: int) -> None:
        if self._renew_q:
            _settle(self._renew_q.popleft(), exc=result_error(Op.RENEW_TOKEN, code) if code else None)

    def _s_peer_result(self, message_id: int, code: int) -> None:
        fut = self._peer_sends.pop(message_id, None)
        if fut is None:
            return
        ok = code in (PeerMessageErrorCode.OK, PeerMessageErrorCode.CACHED_BY_SERVER)
        _settle(fut, code, None if ok else result_error(Op.SEND_PEER_MESSAGE, code))

    def _s_request(self, rid: int, *rest: Any) -> None:
        entry = self._requests.pop(rid, None)
        if entry is None:
            return
        fut, op, value = entry
        code = rest[-1]
        if code:
            _settle(fut, exc=result_error(op, code))
        else:
            _settle(fut, value(*rest[:-1]))

    def _s_inv(self, kind: str, inv: Any, result: Any = None, exc: Optional[BaseException] = None) -> None:
        waiters = self._inv_waiters.pop((kind, inv.invitation_id), None)
        for fut in waiters or ():
            _settle(fut, result, exc)

    def _s_local_received(self, inv: LocalInvitation) -> None:
        self._s_inv("sent", inv)

    def _s_local_end(self, inv: LocalInvitation, state: LocalInvitationState, response: str = "") -> None:
        self._s_inv("sent", inv)
        if state == LocalInvitationState.CANCELED:
            self._s_inv("cancel", inv)
        self._s_inv("result", inv, InvitationResult(state, response))

    def _s_local_failure(self, inv: LocalInvitation, code: int) -> None:
        for kind in ("sent", "cancel", "result"):
            self._s_inv(kind, inv, exc=local_invitation_error(code))

    def _s_remote_failure(self, inv: RemoteInvitation, code: int) -> None:
        for kind in ("accept", "refuse"):
            self._s_inv(kind, inv, exc=remote_invitation_error(code))

    async def _wait_inv(self, kind: str, inv: Any) -> Any:
        fut = self._future()
        self._inv_waiters.setdefault((kind, inv.invitation_id), []).append(fut)
        return await fut

    # -- lifecycle

    async def close(self) -> None:
        """Closes the client: pending operations raise ClientClosedError, subscriptions end,
        channels are released. Idempotent."""
        if self._c.closed:
            return
        self._stop_reader()
        chans = list(self._channels.values())
        await self._loop.run_in_executor(None, self._close_now)
        exc = ClientClosedError(ErrorCode.INVALID_STATE, "the client is closed")
        for ch in chans:
            if isinstance(ch, Channel):
                ch._fail_pending(exc)
        for q in (self._login_q, self._logout_q, self._renew_q):
            while q:
                _settle(q.popleft(), exc=exc)
        for fut in self._peer_sends.values():
            _settle(fut, exc=exc)
        self._peer_sends.clear()
        for fut, _, _ in self._requests.values():
            _settle(fut, exc=exc)
        self._requests.clear()
        for waiters in self._inv_waiters.values():
            for fut in waiters:
                _settle(fut, exc=exc)
        self._inv_waiters.clear()
        self._end_subscriptions()

    async def __aenter__(self) -> "Client":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    # -- iterators

    def messages(self) -> Subscription[PeerMessage]:
        """``async for m in client.messages()``: the peer messages (PeerMessage)."""
        return Subscription(self, self, ("message_received_from_peer",), lambda n, a: PeerMessage(a[0], a[1]))

    def events(self, *names: str) -> Subscription[Event]:
        """``async for e in client.events()``: the client's events (all, or those named)."""
        checked = tuple(self._check_event(n) for n in names) or ("*",)
        return Subscription(self, self, checked, self._event)

    def remote_invitations(self) -> Subscription[RemoteInvitation]:
        """``async for inv in client.remote_invitations()``: the invitations received."""
        return Subscription(self, self, ("remote_invitation_received",), lambda n, a: a[0])

    async def wait_for(
        self, event: str, predicate: Optional[Callable[..., bool]] = None, timeout: Optional[float] = None
    ) -> Event:
        """The next ``event`` whose arguments satisfy ``predicate(*args)``."""
        with self.events(event) as sub:

            async def first() -> Event:
                async for e in sub:
                    if predicate is None or predicate(*e.args.values()):
                        return e
                raise ClientClosedError(ErrorCode.INVALID_STATE, "the client is closed")

            return await asyncio.wait_for(first(), timeout)

    # -- session

    async def login(self, user_id: str, token: Optional[str] = None) -> None:  # type: ignore[override]
        """Logs in; completes once connected, or raises LoginError."""
        _ClientCore.login(self, user_id, token)
        fut = self._future()
        self._login_q.append(fut)
        await fut

    async def logout(self) -> None:  # type: ignore[override]
        _ClientCore.logout(self)
        fut = self._future()
        self._logout_q.append(fut)
        await fut

    async def renew_token(self, token: str) -> None:  # type: ignore[override]
        _ClientCore.renew_token(self, token)
        fut = self._future()
        self._renew_q.append(fut)
        await fut

    # -- peer messages

    async def send_message_to_peer(
        self, peer_id: str, message: MessageLike, *, offline: bool = False, historical: bool = False
    ) -> PeerMessageErrorCode:
        """Sends a message; completes with OK (delivered) or CACHED_BY_SERVER (stored for an
        offline peer, with ``offline=True``), or raises PeerMessageError."""
        mid = self._send_peer(peer_id, message, offline, historical)
        fut = self._future()
        self._peer_sends[mid] = fut
        return await fut

    # -- requests with an id

    async def _request(self, op: Op, rid: int, value: Callable[..., Any]) -> Any:
        fut = self._future()
        self._requests[rid] = (fut, op, value)
        return await fut

    async def query_peers_online_status(self, peer_ids: Iterable[str]) -> dict[str, Any]:
        """The online state of each peer: {peer_id: PeerOnlineState}."""
        rid = self._c.query_peers_online_status(_ids(peer_ids))
        return await self._request(Op.QUERY_PEERS_ONLINE_STATUS, rid, lambda statuses: statuses)

    async def subscribe_peers_online_status(self, peer_ids: Iterable[str]) -> None:
        rid = self._c.subscribe_peers_online_status(_ids(peer_ids))
        await self._request(Op.PEER_SUBSCRIPTION, rid, lambda: None)

    async def unsubscribe_peers_online_status(self, peer_ids: Iterable[str]) -> None:
        rid = self._c.unsubscribe_peers_online_status(_ids(peer_ids))
        await self._request(Op.PEER_SUBSCRIPTION, rid, lambda: None)

    async def query_peers_by_subscription_option(
        self, option: PeerSubscriptionOption = PeerSubscriptionOption.ONLINE_STATUS
    ) -> list[str]:
        """The peers subscribed to."""
        rid = self._c.query_peers_by_subscription_option(int(option))
        return await self._request(Op.QUERY_PEERS_BY_SUBSCRIPTION_OPTION, rid, lambda peers: peers)

    async def set_local_user_attributes(self, attributes: Attributes) -> None:
        rid = self._c.set_local_user_attributes(_pairs(attributes))
        await self._request(Op.ATTRIBUTE_OPERATION, rid, lambda: None)

    async def add_or_update_local_user_attributes(self, attributes: Attributes) -> None:
        rid = self._c.add_or_update_local_user_attributes(_pairs(attributes))
        await self._request(Op.ATTRIBUTE_OPERATION, rid, lambda: None)

    async def delete_local_user_attributes_by_keys(self, keys: Iterable[str]) -> None:
        rid = self._c.delete_local_user_attributes_by_keys(_ids(keys))
        await self._request(Op.ATTRIBUTE_OPERATION, rid, lambda: None)

    async def clear_local_user_attributes(self) -> None:
        rid = self._c.clear_local_user_attributes()
        await self._request(Op.ATTRIBUTE_OPERATION, rid, lambda: None)

    async def get_user_attributes(self, user_id: str) -> dict[str, str]:
        rid = self._c.get_user_attributes(user_id)
        return await self._request(Op.ATTRIBUTE_OPERATION, rid, lambda user, attrs: attrs)

    async def get_user_attributes_by_keys(self, user_id: str, keys: Iterable[str]) -> dict[str, str]:
        rid = self._c.get_user_attributes_by_keys(user_id, _ids(keys))
        return await self._request(Op.ATTRIBUTE_OPERATION, rid, lambda user, attrs: attrs)

    async def set_channel_attributes(self, channel_id: str, attributes: Attributes, *, notify: bool = False) -> None:
        rid = self._c.set_channel_attributes(channel_id, _pairs(attributes), notify)
        await self._request(Op.ATTRIBUTE_OPERATION, rid, lambda: None)

    async def add_or_update_channel_attributes(
        self, channel_id: str, attributes: Attributes, *, notify: bool = False
    ) -> None:
        rid = self._c.add_or_update_channel_attributes(channel_id, _pairs(attributes), notify)
        await self._request(Op.ATTRIBUTE_OPERATION, rid, lambda: None)

    async def delete_channel_attributes_by_keys(
        self, channel_id: str, keys: Iterable[str], *, notify: bool = False
    ) -> None:
        rid = self._c.delete_channel_attributes_by_keys(channel_id, _ids(keys), notify)
        await self._request(Op.ATTRIBUTE_OPERATION, rid, lambda: None)

    async def clear_channel_attributes(self, channel_id: str, *, notify: bool = False) -> None:
        rid = self._c.clear_channel_attributes(channel_id, notify)
        await self._request(Op.ATTRIBUTE_OPERATION, rid, lambda: None)

    async def get_channel_attributes(self, channel_id: str) -> dict[str, ChannelAttribute]:
        rid = self._c.get_channel_attributes(channel_id)
        return await self._request(Op.ATTRIBUTE_OPERATION, rid, lambda attrs: attrs)

    async def get_channel_attributes_by_keys(self, channel_id: str, keys: Iterable[str]) -> dict[str, ChannelAttribute]:
        rid = self._c.get_channel_attributes_by_keys(channel_id, _ids(keys))
        return await self._request(Op.ATTRIBUTE_OPERATION, rid, lambda attrs: attrs)

    async def get_channel_member_count(self, channel_ids: Iterable[str]) -> dict[str, int]:
        rid = self._c.get_channel_member_count(_ids(channel_ids))
        return await self._request(Op.GET_CHANNEL_MEMBER_COUNT, rid, lambda counts: counts)

    # -- channels

    def create_channel(self, channel_id: str, handler: Any = None) -> Channel:  # type: ignore[override]
        ch = _ClientCore.create_channel(self, channel_id, handler)
        assert isinstance(ch, Channel)
        return ch

    # -- invitations

    async def send_local_invitation(self, invitation: LocalInvitation) -> None:
        """Sends the invitation; completes when the callee's client has it, or raises
        LocalInvitationError (e.g. PEER_OFFLINE). Its outcome: local_invitation_result()."""
        self._c.send_local_invitation(invitation._h)
        await self._wait_inv("sent", invitation)

    async def local_invitation_result(self, invitation: LocalInvitation) -> InvitationResult:
        """How the invitation ended: accepted or refused (with the response) or canceled; raises
        LocalInvitationError when it failed."""
        state = invitation.state
        if state in _TERMINAL_LOCAL and not (state == LocalInvitationState.FAILURE and invitation._failure is None):
            if state == LocalInvitationState.FAILURE:
                raise local_invitation_error(invitation._failure or 0)
            return InvitationResult(state, invitation.response)
        return await self._wait_inv("result", invitation)

    async def cancel_local_invitation(self, invitation: LocalInvitation) -> None:
        self._c.cancel_local_invitation(invitation._h)
        await self._wait_inv("cancel", invitation)

    async def accept_remote_invitation(self, invitation: RemoteInvitation, response: Optional[str] = None) -> None:
        """Accepts; completes when the caller was told, or raises RemoteInvitationError."""
        if response is not None:
            invitation.response = response
        self._c.accept_remote_invitation(invitation._h)
        await self._wait_inv("accept", invitation)

    async def refuse_remote_invitation(self, invitation: RemoteInvitation, response: Optional[str] = None) -> None:
        if response is not None:
            invitation.response = response
        self._c.refuse_remote_invitation(invitation._h)
        await self._wait_inv("refuse", invitation)

    def __repr__(self) -> str:
        state = "closed" if self.closed else self.state.name
        return f"<rtmkit.aio.Client {state} dispatch={self.dispatch}>"


_SETTLERS: dict[str, Callable[..., None]] = {
    "login_success": Client._s_login_success,
    "login_failure": Client._s_login_failure,
    "logout": Client._s_logout,
    "renew_token_result": Client._s_renew,
    "send_message_result": Client._s_peer_result,
    "query_peers_online_status_result": Client._s_request,
    "subscription_request_result": Client._s_request,
    "query_peers_by_subscription_option_result": Client._s_request,
    "set_local_user_attributes_result": Client._s_request,
    "add_or_update_local_user_attributes_result": Client._s_request,
    "delete_local_user_attributes_result": Client._s_request,
    "clear_local_user_attributes_result": Client._s_request,
    "get_user_attributes_result": Client._s_request,
    "set_channel_attributes_result": Client._s_request,
    "add_or_update_channel_attributes_result": Client._s_request,
    "delete_channel_attributes_result": Client._s_request,
    "clear_channel_attributes_result": Client._s_request,
    "get_channel_attributes_result": Client._s_request,
    "get_channel_member_count_result": Client._s_request,
    "local_invitation_received_by_peer": Client._s_local_received,
    "local_invitation_accepted": lambda c, inv, resp: c._s_local_end(
        inv, LocalInvitationState.ACCEPTED_BY_REMOTE, resp
    ),
    "local_invitation_refused": lambda c, inv, resp: c._s_local_end(
        inv, LocalInvitationState.REFUSED_BY_REMOTE, resp
    ),
    "local_invitation_canceled": lambda c, inv: c._s_local_end(inv, LocalInvitationState.CANCELED),
    "local_invitation_failure": Client._s_local_failure,
    "remote_invitation_accepted": lambda c, inv: c._s_inv("accept", inv),
    "remote_invitation_refused": lambda c, inv: c._s_inv("refuse", inv),
    "remote_invitation_failure": Client._s_remote_failure,
}
