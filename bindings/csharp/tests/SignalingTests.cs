using System;
using System.Collections.Generic;
using System.Linq;
using RtmKit.Signaling;

namespace RtmKit.Tests
{
    /// <summary>The Signaling facade end to end: sessions, messages, channels, invoke, RTM interop.</summary>
    [Fixture]
    public class SignalingTests : WithServer
    {
        [FixtureSetUp] public static void Start() => StartServer();
        [FixtureTearDown] public static void Stop() => StopServer();

        sealed class Rec : SignalCallback
        {
            public readonly Events E = new Events();
            public override void OnLoginSuccess(long uid, int fd) => E.Add("login:" + uid);
            public override void OnLogout(int ecode) => E.Add("logout:" + Signal.EcodeName(ecode));
            public override void OnChannelJoined(string channelID) => E.Add("joined:" + channelID);
            public override void OnChannelLeaved(string channelID, int ecode) => E.Add("leaved:" + channelID + ":" + Signal.EcodeName(ecode));
            public override void OnChannelUserJoined(string account, long uid) => E.Add("user_joined:" + account);
            public override void OnChannelUserList(string[] accounts, long[] uids) =>
                E.Add("user_list:" + string.Join(",", accounts.OrderBy(x => x, StringComparer.Ordinal)));
            public override void OnMessageInstantReceive(string account, long uid, string msg) => E.Add("instant:" + account + ":" + msg);
            public override void OnMessageChannelReceive(string channelID, string account, long uid, string msg) =>
                E.Add("channel:" + channelID + ":" + account + ":" + msg);
            public override void OnMessageSendSuccess(string messageID) => E.Add("sent:" + messageID);
            public override void OnMessageSendError(string messageID, int ecode) => E.Add("send_error:" + messageID);
            public override void OnInvokeRet(string callID, int err, string resp) => E.Add("invoke:" + callID + ":" + err + ":" + resp.Replace(" ", ""));
            public override void OnQueryUserStatusResult(string account, string status) => E.Add("status:" + account + ":" + status);
        }

        [Test]
        public void SignalingEndToEndWithRtmInterop()
        {
            var conf = new RtmConfig().AppId("sigapp").Url(Server.Url);
            var ra = new Rec();
            var rb = new Rec();
            using (var a = new Signal(conf, ra))
            using (var b = new Signal(conf, rb))
            using (var c = new RtmClient(conf))
            {
                var rc = Events.Of(c);
                T.Equal("LOGIN_E_TOKENWRONG", Signal.EcodeName(206));
                T.True(Signal.BuildToken("sigapp", "0123456789abcdef0123456789abcdef", "sig-a", 2000000000).StartsWith("1:sigapp:2000000000:"), "token");
                T.Equal(0, a.Status);
                T.Equal((int)LocalErrorCode.InvalidArg, T.Throws<RtmException>(() => a.MessageInstantSend(null, "x", "")).Code);

                a.Login("sig-a", "_no_need_token");
                b.Login("sig-b", "_no_need_token");
                ra.E.WaitFor("login:0");
                rb.E.WaitFor("login:0");
                T.Equal(2, a.Status);
                T.Equal("sig-a", a.Account);
                T.Await(c.LoginAsync(null, "rtm-c"));

                a.MessageInstantSend("sig-b", "hi ✓ 😀", "m1");
                rb.E.WaitFor("instant:sig-a:hi ✓ 😀");
                ra.E.WaitFor("sent:m1");
                a.MessageInstantSend("bad/account", "x", "m2");
                ra.E.WaitFor("send_error:m2");
                a.MessageInstantSend("rtm-c", "to rtm", "m3");
                rc.WaitFor("peer:sig-a:to rtm");
                T.Await(c.SendMessageToPeerAsync("sig-a", RtmMessage.CreateText("from rtm")));
                ra.E.WaitFor("instant:rtm-c:from rtm");

                a.ChannelJoin("sig-room");
                ra.E.WaitFor("joined:sig-room");
                ra.E.WaitFor("user_list:sig-a");
                b.ChannelJoin("sig-room");
                rb.E.WaitFor("user_list:sig-a,sig-b");
                ra.E.WaitFor("user_joined:sig-b");
                b.MessageChannelSend("sig-room", "hello room", "c1");
                ra.E.WaitFor("channel:sig-room:sig-b:hello room");
                rb.E.WaitFor("channel:sig-room:sig-b:hello room");

                a.Invoke("io.agora.signal.channel_query_num", "{\"name\":\"sig-room\"}", "q1");
                ra.E.WaitFor("invoke:q1:0:{\"num\":2}");
                a.QueryUserStatus("sig-b");
                ra.E.WaitFor("status:sig-b:1");

                b.ChannelLeave("sig-room");
                rb.E.WaitFor("leaved:sig-room:LEAVECHANNEL_E_BYUSER");
                a.Logout();
                ra.E.WaitFor("logout:LOGOUT_E_USER");
            }
        }

        [Test]
        public void DisposedInstancesRefuseCalls()
        {
            var s = new Signal(new RtmConfig().AppId("sigapp").Url(Server.Url), null);
            s.Dispose();
            s.Dispose();
            T.Equal((int)LocalErrorCode.InvalidState, T.Throws<RtmException>(() => s.Login("x", "_no_need_token")).Code);
            T.Equal((int)LocalErrorCode.UnknownKey, T.Throws<RtmException>(() => new Signal(new RtmConfig().Set("no_such_key", "1"), null)).Code);
        }
    }
}
