using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace RtmKit.Tests
{
    /// <summary>Login, logout, state, peer messages, tokens, configuration errors.</summary>
    [Fixture]
    public class ClientTests
    {
        const string Cert = "0123456789abcdef0123456789abcdef";
        static string dir;
        static RtmServer server;

        [FixtureSetUp]
        public static void Start()
        {
            dir = T.TempDir();
            server = T.Server(dir, "apps", "testapp,certapp:" + Cert);
        }

        [FixtureTearDown]
        public static void Stop()
        {
            server.Dispose();
            System.IO.Directory.Delete(dir, true);
        }

        [Test]
        public void Version()
        {
            string expected = Environment.GetEnvironmentVariable("RTMKIT_EXPECTED_VERSION");
            if (expected != null) T.Equal(expected, RtmKitLibrary.Version);
            T.Equal(1, RtmKitLibrary.AbiVersion);
        }

        [Test]
        public void LoginLogoutStateAndRefusals()
        {
            using (var c = new RtmClient(T.Config(server)))
            {
                var r = Events.Of(c);
                T.Equal(ConnectionState.Disconnected, c.ConnectionState);
                T.Equal("", c.UserId);
                T.Fails(c.LogoutAsync(), (int)LogoutErrorCode.UserNotLoggedIn, Operation.Logout);
                T.Fails(c.RenewTokenAsync("x"), (int)RenewTokenErrorCode.UserNotLoggedIn, Operation.RenewToken);
                T.Fails(c.LoginAsync(null, "bad/user"), (int)LoginErrorCode.InvalidArgument, Operation.Login);
                var e = T.Fails(c.LoginAsync(null, null), (int)LoginErrorCode.InvalidArgument, Operation.Login);
                T.Equal("RTM_LOGIN_ERR_INVALID_ARGUMENT", e.CodeName);
                T.True(e.Message.Contains("RTM_LOGIN_ERR_INVALID_ARGUMENT"), e.Message);
                T.Fails(c.SendMessageToPeerAsync("bob", RtmMessage.CreateText("x")), (int)PeerMessageErrorCode.UserNotLoggedIn,
                        Operation.SendPeerMessage);

                T.Await(c.LoginAsync(null, "alice"));
                T.Equal(ConnectionState.Connected, c.ConnectionState);
                T.Equal("alice", c.UserId);
                r.WaitFor("state:Connected:LoginSuccess");
                T.Equal("state:Connecting:Login,state:Connected:LoginSuccess", string.Join(",", r.Snapshot()));
                T.True(r.Threads.Distinct().Count() == 1 && r.Threads[0] != Thread.CurrentThread.ManagedThreadId,
                       "events on one dispatcher thread");
                T.Fails(c.LoginAsync(null, "alice"), (int)LoginErrorCode.AlreadyLoggedIn, Operation.Login);
                T.Await(c.LogoutAsync());
                r.WaitFor("state:Disconnected:Logout");
            }
        }

        [Test]
        public void PeerMessagesTextRawUnicodeAndOffline()
        {
            using (var a = new RtmClient(T.Config(server)))
            using (var b = new RtmClient(T.Config(server)))
            {
                var rb = Events.Of(b);
                T.Await(a.LoginAsync(null, "p-alice"));
                T.Await(b.LoginAsync("", "p-bob"));
                string unicode = "héllo 世界 😀 end";
                T.Equal(PeerMessageErrorCode.Ok, T.Await(a.SendMessageToPeerAsync("p-bob", RtmMessage.CreateText(unicode))));
                rb.WaitFor("peer:p-alice:" + unicode);

                var payload = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
                T.Await(a.SendMessageToPeerAsync("p-bob", RtmMessage.CreateRaw(payload, "bin"), new SendMessageOptions { EnableHistoricalMessaging = true }));
                rb.WaitFor("peer:p-alice:bin");
                RtmMessage got;
                lock (rb) got = rb.Messages[1];
                T.Equal(MessageType.Raw, got.MessageType);
                T.True(payload.SequenceEqual(got.GetRawMessage()), "payload");
                T.True(got.MessageId != 0 && got.ServerReceivedTs > 0 && !got.IsOfflineMessage, "received message fields");

                T.Fails(a.SendMessageToPeerAsync("no/such user", RtmMessage.CreateText("x")), (int)PeerMessageErrorCode.InvalidUserid, Operation.SendPeerMessage);
                T.Fails(a.SendMessageToPeerAsync(null, RtmMessage.CreateText("x")), (int)PeerMessageErrorCode.InvalidUserid, Operation.SendPeerMessage);
                T.Fails(a.SendMessageToPeerAsync("p-bob", RtmMessage.CreateRaw(new byte[40000])), (int)PeerMessageErrorCode.InvalidMessage, Operation.SendPeerMessage);
                T.Throws<ArgumentNullException>(() => a.SendMessageToPeerAsync("p-bob", null));
                T.Fails(a.SendMessageToPeerAsync("p-carol", RtmMessage.CreateText("lost")), (int)PeerMessageErrorCode.PeerUnreachable, Operation.SendPeerMessage);
                T.Equal(PeerMessageErrorCode.CachedByServer,
                        T.Await(a.SendMessageToPeerAsync("p-carol", RtmMessage.CreateText("kept"), new SendMessageOptions { EnableOfflineMessaging = true })));
                using (var carol = new RtmClient(T.Config(server)))
                {
                    var rc = Events.Of(carol);
                    T.Await(carol.LoginAsync(null, "p-carol"));
                    rc.WaitFor("peer:p-alice:kept");
                    lock (rc) T.True(rc.Messages[0].IsOfflineMessage, "offline flag");
                }
            }
        }

        [Test]
        public void BurstArrivesInOrder()
        {
            using (var a = new RtmClient(T.Config(server)))
            using (var b = new RtmClient(T.Config(server)))
            {
                var rb = Events.Of(b);
                T.Await(a.LoginAsync(null, "burst-a"));
                T.Await(b.LoginAsync(null, "burst-b"));
                var sent = Enumerable.Range(0, 300).Select(i => a.SendMessageToPeerAsync("burst-b", RtmMessage.CreateText("m" + i))).ToList();
                foreach (var s in sent) T.Equal(PeerMessageErrorCode.Ok, T.Await(s));
                rb.WaitFor("peer:burst-a:", 300);
                var got = rb.Snapshot().Where(e => e.StartsWith("peer:")).ToList();
                for (int i = 0; i < 300; i++) T.Equal("peer:burst-a:m" + i, got[i]);
            }
        }

        [Test]
        public void TokensAndRenew()
        {
            using (var c = new RtmClient(new RtmConfig().AppId("certapp").Url(server.Url)))
            {
                T.Fails(c.LoginAsync(null, "t-alice"), (int)LoginErrorCode.InvalidToken, Operation.Login);
                T.Fails(c.LoginAsync(RtmKitLibrary.BuildToken007("certapp", Cert, "t-bob", 3600), "t-alice"), (int)LoginErrorCode.InvalidToken, Operation.Login);
                string t007 = RtmKitLibrary.BuildToken007("certapp", Cert, "t-alice", 3600);
                T.True(t007.StartsWith("007"), t007);
                T.Await(c.LoginAsync(t007, "t-alice"));
                string t006 = RtmKitLibrary.BuildToken006("certapp", Cert, "t-alice");
                T.True(t006.StartsWith("006"), t006);
                T.Await(c.RenewTokenAsync(t006));
                T.Fails(c.RenewTokenAsync("007garbage"), (int)RenewTokenErrorCode.InvalidToken, Operation.RenewToken);
                T.Fails(c.RenewTokenAsync(""), (int)RenewTokenErrorCode.InvalidArgument, Operation.RenewToken);
            }
            var e = T.Throws<RtmException>(() => RtmKitLibrary.BuildToken007("", "", "u", 10));
            T.Equal((int)LocalErrorCode.Token, e.Code);
            T.Equal(LocalErrorCode.Token, e.LocalError);
        }

        [Test]
        public void ConfigurationErrors()
        {
            T.Equal((int)LocalErrorCode.UnknownKey, T.Throws<RtmException>(() => new RtmClient(new RtmConfig().Set("no_such_key", "1"))).Code);
            T.Equal((int)LocalErrorCode.InvalidValue, T.Throws<RtmException>(() => new RtmClient(new RtmConfig().Set("login_timeout_ms", "soon"))).Code);
            T.Equal((int)LocalErrorCode.InvalidValue,
                    T.Throws<RtmException>(() => new RtmClient(new RtmConfig().Set("reconnect_min_ms", "5000").Set("reconnect_max_ms", "1000"))).Code);
            T.Equal((int)LocalErrorCode.InvalidValue, T.Throws<RtmException>(() => RtmKitLibrary.SetLogLevel("loud")).Code);
            T.Equal((int)LocalErrorCode.UnknownKey, T.Throws<RtmException>(() => T.Server(dir, "no_such_key", "1")).Code);
            T.Equal((int)LocalErrorCode.ServerStart, T.Throws<RtmException>(() => T.Server(dir, "listen", "127.0.0.1:" + server.Port)).Code);
            T.Throws<ArgumentNullException>(() => new RtmClient(null));
            T.Throws<ArgumentException>(() => new RtmConfig().Set("dispatch", "poll"));
            new RtmConfig().Set("callback.dispatch", "thread");
        }

        [Test]
        public void LoginTimeout()
        {
            using (var c = new RtmClient(new RtmConfig().AppId("testapp").Url("ws://127.0.0.1:1").Set("login_timeout_ms", "1500")))
                T.Fails(c.LoginAsync(null, "lonely"), (int)LoginErrorCode.Timeout, Operation.Login);
        }
    }
}
