"""rtmkit.signaling end to end against an embedded rtmd: the callback style (Signal) and asyncio
(AsyncSignal, with the event fd and with a dispatcher thread), and interop with RTM clients."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest
from conftest import APP_CERT, SERVER_OPTIONS, TIMEOUT, Recorder, login, wait_count

import rtmkit
from rtmkit.signaling import (
    SIGNAL_EVENTS,
    AsyncSignal,
    SigErrorCode,
    Signal,
    SignalEventHandler,
    SignalingError,
    SignalStatus,
    build_signaling_token,
)

E = SigErrorCode


@pytest.fixture
def make_signal(server):
    made = []

    def make(app_id="app", url=None, **kw):
        kw.setdefault("reconnect_min_ms", 100)
        kw.setdefault("reconnect_max_ms", 400)
        s = Signal(app_id, url=url or server.url, **kw)
        made.append(s)
        return s, Recorder(s, SIGNAL_EVENTS)

    yield make
    for s in made:
        s.close()


def sig_login(s, rec, account, token="_no_need_token"):
    n = len(rec.of("login_success"))
    s.login(account, token)
    wait_count(rec, "login_success", n + 1)
    assert s.status == SignalStatus.LOGGED_IN and s.account == account


def test_login_tokens_and_logout():
    future, past = int(time.time()) + 3600, int(time.time()) - 10
    tok = build_signaling_token("sigapp", APP_CERT, "alice", future)
    assert tok.startswith("1:sigapp:") and tok.split(":")[2] == str(future)
    with pytest.raises(rtmkit.LibraryError) as e:
        build_signaling_token("sigapp", "", "alice", 1)
    assert e.value.code == rtmkit.ErrorCode.INVALID_ARG
    with rtmkit.Server(SERVER_OPTIONS, apps=f"sigapp:{APP_CERT},free") as server:
        with Signal("sigapp", url=server.url) as a:
            rec = Recorder(a, SIGNAL_EVENTS)
            assert a.status == SignalStatus.NOT_LOGGED_IN
            a.login("alice", build_signaling_token("sigapp", APP_CERT, "alice", past))
            assert rec.wait("login_failed") == (E.LOGIN_E_TOKENEXPIRED,)
            a.login("alice", build_signaling_token("sigapp", APP_CERT, "bob", future))
            rec.wait("login_failed", lambda e: e == E.LOGIN_E_TOKENWRONG)
            a.login("bad/account", "_no_need_token")
            rec.wait("login_failed", lambda e: e == E.LOGIN_E_INVALID_USER)
            sig_login(a, rec, "alice", tok)
            a.logout()
            assert rec.wait("logout") == (E.LOGOUT_E_USER,)
            assert a.status == SignalStatus.NOT_LOGGED_IN
            a.logout()
            rec.wait("logout", lambda e: e == E.LOGOUT_E_ALREADY_LOGOUT)
            # an RTM 007 token works too
            sig_login(a, rec, "alice", rtmkit.build_token_007("sigapp", APP_CERT, "alice"))
        with Signal("free", url=server.url) as c:
            rc = Recorder(c, SIGNAL_EVENTS)
            sig_login(c, rc, "carol")
    with pytest.raises(rtmkit.ClientClosedError):
        a.login("alice")


def test_messages_channels_and_interop(make_signal, make_client):
    a, ra = make_signal()
    b, rb = make_signal()
    a.message_instant_send("bob", "early", "early")
    assert ra.wait("message_send_error") == ("early", E.GENERAL_E_NOT_LOGIN)
    sig_login(a, ra, "salice")
    sig_login(b, rb, "sbob")

    mid = a.message_instant_send("sbob", "hello bob")
    assert ra.wait("message_send_success") == (mid,)
    assert rb.wait("message_instant_receive") == ("salice", "hello bob")
    a.message_instant_send("sbob", "x" * 40000, "big")
    assert ra.wait("message_send_error", lambda i, e: i == "big") == ("big", E.GENERAL_E_LARGE_PARAM)
    a.message_instant_send("bad/id", "x", "badid")
    assert ra.wait("message_send_error", lambda i, e: i == "badid")[1] == E.GENERAL_E_WRONG_PARAM

    # an RTM client of the same app: messages both ways
    r, rr = make_client()
    login(r, rr, "rtmuser")
    a.message_instant_send("rtmuser", "to rtm")
    peer, m = rr.wait("message_received_from_peer")
    assert (peer, m.text) == ("salice", "to rtm")
    r.send_message_to_peer("salice", "to signaling")
    ra.wait("message_instant_receive", lambda acc, msg: acc == "rtmuser" and msg == "to signaling")

    # a channel: join, user list, joins, messages (the sender gets its own), attributes, queries
    a.channel_join("sroom")
    assert ra.wait("channel_joined") == ("sroom",)
    ra.wait("channel_user_list", lambda accounts: accounts == ["salice"])
    b.channel_join("sroom")
    rb.wait("channel_joined")
    assert ra.wait("channel_user_joined") == ("sbob",)
    a.message_channel_send("sroom", "hi room")
    assert rb.wait("message_channel_receive") == ("sroom", "salice", "hi room")
    ra.wait("message_channel_receive", lambda ch, acc, msg: acc == "salice")
    a.channel_set_attr("sroom", "topic", "news")
    assert rb.wait("channel_attr_updated") == ("sroom", "topic", "news", "update")
    a.channel_del_attr("sroom", "topic")
    rb.wait("channel_attr_updated", lambda ch, n, v, t: t == "del")
    a.channel_query_user_num("sroom")
    assert ra.wait("channel_query_user_num_result") == ("sroom", E.E_SUCCESS, 2)
    a.channel_query_user_is_in("sroom", "sbob")
    assert ra.wait("channel_query_user_is_in") == ("sroom", "sbob", True)
    b.channel_leave("sroom")
    assert rb.wait("channel_leaved") == ("sroom", E.LEAVECHANNEL_E_BYUSER)
    assert ra.wait("channel_user_leaved") == ("sbob",)
    b.channel_join("bad/room")
    assert rb.wait("channel_join_failed")[0] == "bad/room"

    # users: status, attributes, invoke
    a.query_user_status("sbob")
    assert ra.wait("query_user_status_result") == ("sbob", "1")
    a.set_attr("mood", "fine")
    deadline = time.monotonic() + TIMEOUT  # the write is not acknowledged: read until it shows
    for n in itertools.count(1):
        b.get_user_attr("salice", "mood")
        wait_count(rb, "user_attr_result", n)
        if rb.of("user_attr_result")[-1] == ("salice", "mood", "fine"):
            break
        assert time.monotonic() < deadline, rb.of("user_attr_result")
        time.sleep(0.05)
    b.get_user_attr_all("salice")
    assert rb.wait("user_attr_all_result")[0] == "salice"
    cid = a.invoke("io.agora.signal.user_query_user_status", {"account": "sbob"})
    call_id, err, resp = ra.wait("invoke_ret", lambda c, e, r: c == cid)
    assert err == E.E_SUCCESS and '"status":1' in resp.replace(" ", "")
    cid = a.invoke("io.agora.signal.no_such_command", "{}")
    assert ra.wait("invoke_ret", lambda c, e, r: c == cid)[1] == E.GENERAL_E_UNKNOWN


def test_calls(make_signal):
    class Callee(SignalEventHandler):
        def __init__(self):
            self.extras = []

        def on_invite_received(self, channel, account, extra):
            self.extras.append(extra)
            b.channel_invite_accept(channel, account, {"answer": "yes"})

    h = Callee()
    a, ra = make_signal()
    b, rb = make_signal(handler=h)
    a.channel_invite_user2("call", "callee", {"_require_peer_online": 1})
    assert ra.wait("invite_failed")[:3] in (
        ("call", "callee", E.INVITE_E_NET),
        ("call", "callee", E.INVITE_E_PEEROFFLINE),
    )
    sig_login(a, ra, "caller")
    a.channel_invite_user2("call", "callee", {"_require_peer_online": 1})
    ra.wait("invite_failed", lambda ch, acc, e, x: e == E.INVITE_E_PEEROFFLINE)
    sig_login(b, rb, "callee")
    a.channel_invite_user2("call", "callee", {"topic": "lunch"})
    ra.wait("invite_received_by_peer")
    ch, acc, extra = ra.wait("invite_accepted_by_peer")
    assert (ch, acc) == ("call", "callee") and "yes" in extra
    assert "lunch" in h.extras[0]
    a.channel_invite_dtmf("call", "callee", "12#")
    assert rb.wait("invite_msg")[:4] == ("call", "caller", "dtmf", "12#")
    a.channel_invite_end("call", "callee")
    ra.wait("invite_end_by_myself")
    assert rb.wait("invite_end_by_peer")[:2] == ("call", "caller")


def test_poll_mode(make_signal):
    p, rp = make_signal(dispatch="poll")
    assert p.fileno() >= 0
    p.login("poller")
    rp.wait("login_success", poll=p)
    assert repr(p) == "<rtmkit.signaling.Signal LOGGED_IN>"
    with pytest.raises(ValueError):
        Signal("app", dispatch="never")


@pytest.mark.parametrize("dispatch", ["fd", "thread"])
def test_async_signal(server, dispatch):
    async def main():
        kw = dict(url=server.url, dispatch=dispatch, reconnect_min_ms=100, reconnect_max_ms=400)
        async with AsyncSignal("app", **kw) as a, AsyncSignal("app", **kw) as b:
            assert a.dispatch == dispatch
            with pytest.raises(SignalingError) as e:
                await a.login("bad/account")
            assert e.value.code == E.LOGIN_E_INVALID_USER
            with pytest.raises(SignalingError) as e:
                await a.message_instant_send("x", "not yet")
            assert e.value.code == E.GENERAL_E_NOT_LOGIN
            await a.login("aalice")
            await b.login("abob")
            msgs = b.messages()
            mid = await a.message_instant_send("abob", "hi")
            assert mid.startswith("msg-")
            m = await msgs.get(TIMEOUT)
            assert (m.peer_id, m.text) == ("aalice", "hi")
            with pytest.raises(SignalingError) as e:
                await a.message_instant_send("abob", "x" * 40000)
            assert e.value.code == E.GENERAL_E_LARGE_PARAM

            with pytest.raises(SignalingError) as e:
                await a.channel_join("bad/room")
            assert e.value.code == E.GENERAL_E_WRONG_PARAM
            await a.channel_join("aroom")
            room = b.channel_messages()
            await b.channel_join("aroom")
            assert await a.channel_query_user_num("aroom") == 2
            assert await a.channel_query_user_is_in("aroom", "abob") is True
            assert await a.channel_query_user_is_in("aroom", "nobody") is False
            await a.message_channel_send("aroom", "to the room")
            cm = await room.get(TIMEOUT)
            assert (cm.channel_id, cm.member_id, cm.text) == ("aroom", "aalice", "to the room")

            assert await a.query_user_status("abob") is True
            assert await a.query_user_status("nobody") is False
            a.set_attr("k", "v")
            deadline = time.monotonic() + TIMEOUT
            while await b.get_user_attr("aalice", "k") != "v":
                assert time.monotonic() < deadline
                await asyncio.sleep(0.05)
            assert await a.get_attr("k") == "v"
            assert await b.get_user_attr_all("aalice") == {"k": "v"}
            assert await a.get_attr_all() == {"k": "v"}
            assert await a.invoke("io.agora.signal.channel_query_num", {"name": "aroom"}) == {"num": 2}
            with pytest.raises(SignalingError) as e:
                await a.invoke("io.agora.signal.no_such_command")
            assert e.value.code == E.GENERAL_E_UNKNOWN

            invited = asyncio.ensure_future(b.wait_for("invite_received", timeout=TIMEOUT))
            await asyncio.sleep(0)
            a.channel_invite_user2("acall", "abob", {"about": "x"})
            ev = await invited
            b.channel_invite_refuse(ev.channel, ev.account, {"reason": "busy"})
            refused = await a.wait_for("invite_refused_by_peer", timeout=TIMEOUT)
            assert refused.account == "abob"

            assert await b.channel_leave("aroom") == E.LEAVECHANNEL_E_BYUSER
            assert await a.logout() == E.LOGOUT_E_USER
            with pytest.raises(SignalingError) as e:
                await a.query_user_status("abob")
            assert e.value.code == E.GENERAL_E_NOT_LOGIN

    asyncio.run(asyncio.wait_for(main(), 30))


def test_invitation_interop_both_ways_and_every_invoke(make_signal, make_client):
    s, rs = make_signal()
    sig_login(s, rs, "sigx")
    r, rr = make_client()
    login(r, rr, "rtmx")
    end_prefix = "AgoraRTMLegacyEndcallCompatibleMessagePrefix_"

    # RTM caller -> Signaling callee: the channelId names the call; accept maps back with the extra
    li = r.create_local_invitation("sigx", content="ring", channel_id="v1")
    r.send_local_invitation(li)
    assert rs.wait("invite_received") == ("v1", "rtmx", "ring")
    rr.wait("local_invitation_received_by_peer", lambda i: i is li)
    s.channel_invite_accept("v1", "rtmx", '{"ok":1}')
    assert rr.wait("local_invitation_accepted", lambda i, resp: i is li) == (li, '{"ok":1}')
    # the RTM side hangs up with the end-call message, which is not delivered as a message
    r.send_message_to_peer("sigx", end_prefix + "v1_bye")
    assert rs.wait("invite_end_by_peer") == ("v1", "rtmx", "bye")
    assert not [m for m in rs.of("message_instant_receive") if m[1].startswith(end_prefix)]
    # the RTM caller cancels before an answer
    li2 = r.create_local_invitation("sigx", channel_id="v2")
    r.send_local_invitation(li2)
    rs.wait("invite_received", lambda ch, acc, x: ch == "v2")
    rr.wait("local_invitation_received_by_peer", lambda i: i is li2)
    r.cancel_local_invitation(li2)
    assert rs.wait("invite_end_by_peer", lambda ch, acc, x: ch == "v2") == ("v2", "rtmx", "")

    # Signaling caller -> RTM callee: the channel id and the extra's own keys arrive; refuse maps back
    s.channel_invite_user2("v3", "rtmx", {"who": "sig", "_timeout": 20})
    (ri,) = rr.wait("remote_invitation_received")
    assert (ri.caller_id, ri.channel_id, ri.content) == ("sigx", "v3", '{"who":"sig"}')
    rs.wait("invite_received_by_peer", lambda ch, acc: ch == "v3")
    r.refuse_remote_invitation(ri, "busy")
    assert rs.wait("invite_refused_by_peer") == ("v3", "rtmx", "busy")
    # the Signaling caller ends before an answer: the RTM callee sees a cancel
    s.channel_invite_user("v4", "rtmx")
    (ri4,) = rr.wait("remote_invitation_received", lambda i: i.channel_id == "v4")
    s.channel_invite_end("v4", "rtmx")
    assert rr.wait("remote_invitation_canceled", lambda i: i.channel_id == "v4")[0].caller_id == "sigx"
    rs.wait("invite_end_by_myself", lambda ch, acc: ch == "v4")
    # an accepted call hung up from Signaling: the RTM side gets the end-call message
    s.channel_invite_user("v5", "rtmx")
    (ri5,) = rr.wait("remote_invitation_received", lambda i: i.channel_id == "v5")
    r.accept_remote_invitation(ri5)
    rs.wait("invite_accepted_by_peer", lambda ch, acc, x: ch == "v5")
    s.channel_invite_end("v5", "rtmx")
    rr.wait("message_received_from_peer", lambda p, m: (p, m.text) == ("sigx", end_prefix + "v5_end"))
    rs.wait("invite_end_by_myself", lambda ch, acc: ch == "v5")

    # every invoke command, against a channel the RTM user is in
    ch = r.create_channel("inv-room")
    rch = Recorder(ch, rtmkit.CHANNEL_EVENTS)
    ch.join()
    rch.wait("join_success")

    def invoke(command, req):
        cid = s.invoke("io.agora.signal." + command, req)
        _, err, resp = rs.wait("invoke_ret", lambda c, e, x: c == cid)
        return err, resp

    assert invoke("channel_query_num", {"name": "inv-room"}) == (E.E_SUCCESS, '{"num":1}')
    assert invoke("user_query_user_status", {"account": "rtmx"}) == (E.E_SUCCESS, '{"status":1}')
    assert invoke("user_query_user_status", {"account": "nobody"}) == (E.E_SUCCESS, '{"status":0}')
    assert invoke("user_set_attr", {"name": "k", "value": "v"}) == (E.E_SUCCESS, "{}")
    assert invoke("user_get_attr", {"account": "sigx", "name": "k"}) == (E.E_SUCCESS, '{"value":"v"}')
    assert invoke("user_get_attr_all", {"account": "sigx"}) == (E.E_SUCCESS, '{"json":"{\\"k\\":\\"v\\"}"}')
    assert invoke("channel_query_user_isin", {"name": "inv-room", "account": "rtmx"}) == (E.E_SUCCESS, '{"isin":1}')
    assert invoke("channel_query_userlist", {"name": "inv-room"}) == (E.E_SUCCESS, '{"num":1,"list":[["rtmx",0]]}')
    assert invoke("channel_set_attr", {"channel": "inv-room", "name": "a", "value": "1"}) == (E.E_SUCCESS, "{}")
    assert invoke("channel_del_attr", {"channel": "inv-room", "name": "a"}) == (E.E_SUCCESS, "{}")
    assert invoke("channel_clear_attr", {"channel": "inv-room"}) == (E.E_SUCCESS, "{}")
    assert invoke("user_get_attr", {"account": "sigx"}) == (E.GENERAL_E_WRONG_PARAM, "{}")
    assert invoke("channel_query_num", "not json") == (E.GENERAL_E_WRONG_PARAM, "{}")
