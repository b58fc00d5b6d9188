"""rtmkit.aio end to end against an embedded rtmd, with the event fd and with a dispatcher thread."""

from __future__ import annotations

import asyncio
import threading

import pytest
from conftest import APP_CERT, SERVER_OPTIONS, TIMEOUT, free_port

import rtmkit
import rtmkit.aio as aio
from rtmkit import ConnectionState as State
from rtmkit import ErrorCode

pytestmark = pytest.mark.parametrize("dispatch", ["fd", "thread"])


def run(coro):
    async def bounded():
        return await asyncio.wait_for(coro, 60)

    return asyncio.run(bounded())


def client(server, dispatch, **kw):
    kw.setdefault("reconnect_min_ms", 100)
    kw.setdefault("reconnect_max_ms", 400)
    return aio.Client("app", url=kw.pop("url", server.url), dispatch=dispatch, **kw)


def test_session_and_peer_messages(server, dispatch):
    async def main():
        async with client(server, dispatch) as a, client(server, dispatch) as b:
            assert a.dispatch == dispatch
            with pytest.raises(rtmkit.LogoutError) as e:
                await a.logout()
            assert e.value.code == rtmkit.LogoutErrorCode.USER_NOT_LOGGED_IN
            with pytest.raises(rtmkit.LoginError) as e:
                await a.login("bad/user")
            assert e.value.code == rtmkit.LoginErrorCode.INVALID_ARGUMENT
            states = a.events("connection_state_changed")
            await a.login("alice")
            assert a.state == State.CONNECTED and a.user_id == "alice"
            e1, e2 = await states.get(TIMEOUT), await states.get(TIMEOUT)
            assert (e1.state, e2.state) == (State.CONNECTING, State.CONNECTED)
            assert e2.args == {"state": State.CONNECTED, "reason": rtmkit.ConnectionChangeReason.LOGIN_SUCCESS}
            with pytest.raises(rtmkit.LoginError) as e:
                await a.login("alice")
            assert e.value.code == rtmkit.LoginErrorCode.ALREADY_LOGGED_IN
            await b.login("bob")

            listener_threads = set()
            b.on("message_received_from_peer", lambda p, m: listener_threads.add(threading.current_thread()))
            msgs = b.messages()
            assert await a.send_message_to_peer("bob", "hello") == rtmkit.PeerMessageErrorCode.OK
            await a.send_message_to_peer("bob", rtmkit.Message.from_raw(b"\x01\x02", "raw"))
            m1, m2 = await msgs.get(TIMEOUT), await msgs.get(TIMEOUT)
            assert (m1.peer_id, m1.text) == ("alice", "hello")
            assert (m2.message.raw, m2.message.text) == (b"\x01\x02", "raw")
            assert listener_threads == {threading.current_thread()}  # listeners run on the loop's thread

            with pytest.raises(rtmkit.PeerMessageError) as e:
                await a.send_message_to_peer("ghost", "x")
            assert e.value.code == rtmkit.PeerMessageErrorCode.PEER_UNREACHABLE
            assert await a.send_message_to_peer("ghost", "x", offline=True) == (
                rtmkit.PeerMessageErrorCode.CACHED_BY_SERVER
            )
            with pytest.raises(rtmkit.PeerMessageError) as e:
                await a.send_message_to_peer("bob", "x" * 40000)
            assert e.value.code == rtmkit.PeerMessageErrorCode.INVALID_MESSAGE

            # many at once: every awaitable completes, every message arrives in order
            codes = await asyncio.gather(*(a.send_message_to_peer("bob", f"n{i}") for i in range(300)))
            assert set(codes) == {rtmkit.PeerMessageErrorCode.OK}
            texts = [(await msgs.get(TIMEOUT)).text for _ in range(300)]
            assert texts == [f"n{i}" for i in range(300)]

            await a.logout()
            assert a.state == State.DISCONNECTED

    run(main())


def test_cancellation_and_close(server, dispatch):
    async def main():
        a = client(server, dispatch)
        b = client(server, dispatch)
        await a.login("alice")
        await b.login("bob")
        msgs = b.messages()
        # a cancelled awaitable: its result arrives later and is dropped; the next ones are fine
        task = asyncio.ensure_future(a.send_message_to_peer("bob", "cancelled"))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        t2 = asyncio.ensure_future(a.get_user_attributes("bob"))
        await asyncio.sleep(0)
        t2.cancel()
        assert await a.send_message_to_peer("bob", "next") == 0
        assert await a.get_user_attributes("bob") == {}
        assert [(await msgs.get(TIMEOUT)).text for _ in range(2)] == ["cancelled", "next"]
        # a timeout through asyncio.wait_for; the subscription still works afterwards
        with pytest.raises(asyncio.TimeoutError):
            await msgs.get(0.05)
        await a.send_message_to_peer("bob", "after")
        assert (await msgs.get(TIMEOUT)).text == "after"

        # close: pending awaitables raise ClientClosedError, iterators end
        pending = asyncio.ensure_future(b.wait_for("token_expired"))
        it = b.events()
        await asyncio.sleep(0)
        await b.close()
        await b.close()
        with pytest.raises(rtmkit.ClientClosedError):
            await pending
        async for _ in it:  # ends once the queued items are read
            pass
        with pytest.raises(rtmkit.ClientClosedError) as e:
            await b.login("bob")
        assert e.value.code == ErrorCode.INVALID_STATE
        await a.close()

    run(main())


def test_channels(server, dispatch):
    async def main():
        async with client(server, dispatch) as a, client(server, dispatch) as b:
            await a.login("alice")
            await b.login("bob")
            cha = a.create_channel("aroom")
            with pytest.raises(rtmkit.LibraryError) as e:
                a.create_channel("aroom")
            assert e.value.code == ErrorCode.INVALID_ARG
            await cha.join()
            with pytest.raises(rtmkit.JoinChannelError) as e:
                await cha.join()
            assert e.value.code == rtmkit.JoinChannelErrorCode.ALREADY_JOINED
            events = cha.events("member_joined", "member_left", "member_count_updated")
            async with b.create_channel("aroom") as chb:
                msgs = chb.messages()
                await chb.join()
                assert sorted(await cha.get_members()) == ["alice", "bob"]
                e = await events.get(TIMEOUT)
                while e.name != "member_joined":
                    e = await events.get(TIMEOUT)
                assert e.member_id == "bob"
                assert await cha.send_message("hi room") == rtmkit.ChannelMessageErrorCode.OK
                m = await msgs.get(TIMEOUT)
                assert (m.channel_id, m.member_id, m.text) == ("aroom", "alice", "hi room")
                with pytest.raises(rtmkit.ChannelMessageError) as e:
                    await cha.send_message("x" * 40000)
                assert e.value.code == rtmkit.ChannelMessageErrorCode.INVALID_MESSAGE
                await chb.leave()
                with pytest.raises(rtmkit.LeaveChannelError) as e:
                    await chb.leave()
                assert e.value.code == rtmkit.LeaveChannelErrorCode.NOT_IN_CHANNEL
                with pytest.raises(rtmkit.GetMembersError) as e:
                    await chb.get_members()
                assert e.value.code == rtmkit.GetMembersErrorCode.NOT_IN_CHANNEL
                with pytest.raises(rtmkit.ChannelMessageError) as e:
                    await chb.send_message("gone")
                assert e.value.code == rtmkit.ChannelMessageErrorCode.NOT_IN_CHANNEL
                await chb.join()
            # leaving the block closed the channel: alice sees bob leave
            seen = [e async for e in _take(events, lambda e: e.name == "member_left", 2)]
            assert [e.member_id for e in seen if e.name == "member_left"][-1] == "bob"
            assert chb.closed
            with pytest.raises(rtmkit.ClientClosedError):
                await chb.join()

    run(main())


async def _take(sub, pred, count):
    n = 0
    while n < count:
        e = await sub.get(TIMEOUT)
        yield e
        if pred(e):
            n += 1


def test_presence_attributes_counts(server, dispatch):
    async def main():
        async with client(server, dispatch) as w, client(server, dispatch) as p:
            with pytest.raises(rtmkit.AttributeOperationError) as e:
                await w.set_local_user_attributes({"a": "b"})
            assert e.value.code == rtmkit.AttributeOperationErrorCode.USER_NOT_LOGGED_IN
            await w.login("awatcher")
            await p.login("apeer")
            assert await w.query_peers_online_status(["apeer", "aghost"]) == {
                "apeer": rtmkit.PeerOnlineState.ONLINE,
                "aghost": rtmkit.PeerOnlineState.OFFLINE,
            }
            with pytest.raises(rtmkit.QueryPeersOnlineStatusError) as e:
                await w.query_peers_online_status(["bad/id"])
            assert e.value.code == rtmkit.QueryPeersOnlineStatusErrorCode.INVALID_ARGUMENT
            changes = w.events("peers_online_status_changed")
            await w.subscribe_peers_online_status(["apeer"])
            assert (await changes.get(TIMEOUT)).statuses == {"apeer": rtmkit.PeerOnlineState.ONLINE}
            assert await w.query_peers_by_subscription_option() == ["apeer"]
            await p.logout()
            assert (await changes.get(TIMEOUT)).statuses == {"apeer": rtmkit.PeerOnlineState.OFFLINE}
            await w.unsubscribe_peers_online_status(["apeer"])
            assert await w.query_peers_by_subscription_option() == []
            with pytest.raises(rtmkit.PeerSubscriptionError) as e:
                await w.subscribe_peers_online_status(["bad/id"])
            assert e.value.code == rtmkit.PeerSubscriptionStatusErrorCode.INVALID_ARGUMENT
            await p.login("apeer")

            await w.set_local_user_attributes({"k1": "v1", "k2": "v2"})
            await w.add_or_update_local_user_attributes({"k2": "v2b", "k3": "v3"})
            await w.delete_local_user_attributes_by_keys(["k1"])
            assert await p.get_user_attributes("awatcher") == {"k2": "v2b", "k3": "v3"}
            assert await p.get_user_attributes_by_keys("awatcher", ["k3"]) == {"k3": "v3"}
            with pytest.raises(rtmkit.AttributeOperationError) as e:
                await w.set_local_user_attributes({"k": ""})
            assert e.value.code == rtmkit.AttributeOperationErrorCode.INVALID_ARGUMENT
            with pytest.raises(rtmkit.AttributeOperationError) as e:
                await p.get_user_attributes("nobody")
            assert e.value.code == rtmkit.AttributeOperationErrorCode.USER_NOT_FOUND
            await w.clear_local_user_attributes()
            assert await p.get_user_attributes("awatcher") == {}

            ch = p.create_channel("aattrs")
            updates = ch.events("attributes_updated")
            await ch.join()
            await w.set_channel_attributes("aattrs", {"topic": "t1", "mode": "m"})
            await w.add_or_update_channel_attributes("aattrs", {"topic": "t2"}, notify=True)
            u = await updates.get(TIMEOUT)
            assert {k: a.value for k, a in u.attributes.items()} == {"mode": "m", "topic": "t2"}
            await w.delete_channel_attributes_by_keys("aattrs", ["mode"], notify=True)
            assert list((await updates.get(TIMEOUT)).attributes) == ["topic"]
            got = await p.get_channel_attributes("aattrs")
            assert got["topic"].value == "t2" and got["topic"].last_update_user_id == "awatcher"
            assert await p.get_channel_attributes_by_keys("aattrs", ["none"]) == {}
            await w.clear_channel_attributes("aattrs", notify=True)
            assert (await updates.get(TIMEOUT)).attributes == {}
            assert await w.get_channel_member_count(["aattrs", "aempty"]) == {"aattrs": 1, "aempty": 0}
            with pytest.raises(rtmkit.GetChannelMemberCountError) as e:
                await w.get_channel_member_count([])
            assert e.value.code == rtmkit.GetChannelMemberCountErrorCode.INVALID_ARGUMENT

    run(main())


def test_invitations(server, dispatch):
    async def main():
        async with client(server, dispatch) as a, client(server, dispatch) as b:
            await a.login("acaller")
            off = a.create_local_invitation("acallee")
            with pytest.raises(rtmkit.LocalInvitationError) as e:
                await a.send_local_invitation(off)
            assert e.value.code == rtmkit.LocalInvitationErrorCode.PEER_OFFLINE
            with pytest.raises(rtmkit.LocalInvitationError):
                await a.local_invitation_result(off)

            await b.login("acallee")
            incoming = b.remote_invitations()

            # accepted
            li = a.create_local_invitation("acallee", content="ring", channel_id="call")
            await a.send_local_invitation(li)
            ri = await incoming.get(TIMEOUT)
            assert (ri.caller_id, ri.content, ri.channel_id) == ("acaller", "ring", "call")
            outcome = asyncio.ensure_future(a.local_invitation_result(li))
            await b.accept_remote_invitation(ri, "yes")
            assert await outcome == rtmkit.InvitationResult(rtmkit.LocalInvitationState.ACCEPTED_BY_REMOTE, "yes")
            assert await a.local_invitation_result(li) == await outcome  # already ended
            with pytest.raises(rtmkit.InvitationApiCallError) as e:
                await b.refuse_remote_invitation(ri)
            assert e.value.code == rtmkit.InvitationApiCallErrorCode.ALREADY_ACCEPT

            # refused
            li2 = a.create_local_invitation("acallee")
            await a.send_local_invitation(li2)
            await b.refuse_remote_invitation(await incoming.get(TIMEOUT), "no")
            r = await a.local_invitation_result(li2)
            assert (r.state, r.response) == (rtmkit.LocalInvitationState.REFUSED_BY_REMOTE, "no")

            # canceled
            li3 = a.create_local_invitation("acallee")
            await a.send_local_invitation(li3)
            ri3 = await incoming.get(TIMEOUT)
            canceled = b.events("remote_invitation_canceled")
            await a.cancel_local_invitation(li3)
            assert (await a.local_invitation_result(li3)).state == rtmkit.LocalInvitationState.CANCELED
            assert (await canceled.get(TIMEOUT)).invitation is ri3
            with pytest.raises(rtmkit.InvitationApiCallError) as e:
                await a.cancel_local_invitation(li3)
            assert e.value.code == rtmkit.InvitationApiCallErrorCode.ALREADY_END

            # expired on both sides: the callee's accept after the expiry fails
            li4 = a.create_local_invitation("acallee")
            await a.send_local_invitation(li4)
            ri4 = await incoming.get(TIMEOUT)
            failed = b.events("remote_invitation_failure")
            with pytest.raises(rtmkit.LocalInvitationError) as e:
                await a.local_invitation_result(li4)
            assert e.value.code == rtmkit.LocalInvitationErrorCode.INVITATION_EXPIRE
            f = await failed.get(TIMEOUT)
            assert f.invitation is ri4 and f.code == rtmkit.RemoteInvitationErrorCode.INVITATION_EXPIRE

    run(main())


def test_reconnect_and_tokens(dispatch):
    port = free_port()

    async def main():
        with rtmkit.Server(SERVER_OPTIONS, listen=f"127.0.0.1:{port}", apps=f"certapp:{APP_CERT}") as s:
            kw = dict(url=s.url, reconnect_min_ms=100, reconnect_max_ms=400)
            async with aio.Client("certapp", dispatch=dispatch, **kw) as a:
                with pytest.raises(rtmkit.LoginError) as e:
                    await a.login("alice")
                assert e.value.code == rtmkit.LoginErrorCode.INVALID_TOKEN
                if a.state != State.DISCONNECTED:  # the event may have been handled already
                    await a.wait_for("connection_state_changed", lambda st, r: st == State.DISCONNECTED, TIMEOUT)
                await a.login("alice", rtmkit.build_token_007("certapp", APP_CERT, "alice", 3600))
                await a.renew_token(rtmkit.build_token_006("certapp", APP_CERT, "alice"))
                with pytest.raises(rtmkit.RenewTokenError) as e:
                    await a.renew_token("007garbage")
                assert e.value.code == rtmkit.RenewTokenErrorCode.INVALID_TOKEN
                ch = a.create_channel("kept")
                await ch.join()

                reconnecting = asyncio.ensure_future(
                    a.wait_for("connection_state_changed", lambda st, r: st == State.RECONNECTING, TIMEOUT)
                )
                await asyncio.sleep(0)
                await asyncio.get_running_loop().run_in_executor(None, s.stop)
                e = await reconnecting
                assert e.reason == rtmkit.ConnectionChangeReason.INTERRUPTED
                back = asyncio.ensure_future(
                    a.wait_for("connection_state_changed", lambda st, r: st == State.CONNECTED, 30)
                )
                await asyncio.sleep(0)
                await asyncio.get_running_loop().run_in_executor(None, s.start)
                await back
                assert await a.get_channel_member_count(["kept"]) == {"kept": 1}  # the channel was restored

    run(main())


def test_backpressure_and_handlers(server, dispatch):
    """A subscription that is not read stops the reading of the event fd above max_queued; reading
    it resumes the flow. Handler objects work as with rtmkit.Client."""

    class H(rtmkit.EventHandler):
        def __init__(self):
            self.n = 0

        def on_message_received_from_peer(self, peer_id, message):
            self.n += 1

    async def main():
        h = H()
        async with client(server, dispatch) as a, client(server, dispatch, max_queued=50, handler=h) as b:
            await a.login("bpa")
            await b.login("bpb")
            msgs = b.messages()
            await asyncio.gather(*(a.send_message_to_peer("bpb", str(i)) for i in range(400)))
            got = [int((await msgs.get(TIMEOUT)).text) for _ in range(400)]
            assert got == list(range(400)) and h.n == 400

    run(main())


def test_outside_a_loop_and_bad_dispatch(server, dispatch):
    with pytest.raises(RuntimeError):
        aio.Client("app", url=server.url, dispatch=dispatch)  # no running loop

    async def main():
        with pytest.raises(ValueError):
            aio.Client("app", url=server.url, dispatch="poll")

    run(main())
