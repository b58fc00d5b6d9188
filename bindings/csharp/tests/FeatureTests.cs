using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace RtmKit.Tests
{
    /// <summary>An embedded rtmd for the fixtures of this file, started by each fixture.</summary>
    public abstract class WithServer
    {
        protected static string Dir;
        protected static RtmServer Server;

        protected static void StartServer(params string[] extra)
        {
            Dir = T.TempDir();
            Server = T.Server(Dir, extra);
        }

        protected static void StopServer()
        {
            Server.Dispose();
            System.IO.Directory.Delete(Dir, true);
        }
    }

    /// <summary>Channels: join, leave, messages, members, member counts, dispose and re-create.</summary>
    [Fixture]
    public class ChannelTests : WithServer
    {
        [FixtureSetUp] public static void Start() => StartServer("member_count_interval_ms", "100");
        [FixtureTearDown] public static void Stop() => StopServer();

        [Test]
        public void JoinMessagesMembersLeave()
        {
            using (var a = new RtmClient(T.Config(Server)))
            using (var b = new RtmClient(T.Config(Server)))
            {
                var ca = a.CreateChannel("room");
                var ea = Events.Of(ca);
                T.Equal("room", ca.Id);
                T.Equal((int)LocalErrorCode.InvalidArg, T.Throws<RtmException>(() => a.CreateChannel("room")).Code);
                T.Equal((int)LocalErrorCode.InvalidArg, T.Throws<RtmException>(() => a.CreateChannel("bad/channel")).Code);
                T.Equal((int)LocalErrorCode.InvalidArg, T.Throws<RtmException>(() => a.CreateChannel(null)).Code);
                T.Fails(ca.JoinAsync(), (int)JoinChannelErrorCode.UserNotLoggedIn, Operation.JoinChannel);
                T.Fails(ca.GetMembersAsync(), (int)GetMembersErrorCode.UserNotLoggedIn, Operation.GetMembers);
                T.Fails(ca.LeaveAsync(), (int)LeaveChannelErrorCode.UserNotLoggedIn, Operation.LeaveChannel);

                T.Await(a.LoginAsync(null, "ch-alice"));
                T.Await(b.LoginAsync(null, "ch-bob"));
                T.Await(ca.JoinAsync());
                var cb = b.CreateChannel("room");
                var eb = Events.Of(cb);
                T.Await(cb.JoinAsync());
                ea.WaitFor("joined:ch-bob");
                T.Fails(ca.JoinAsync(), (int)JoinChannelErrorCode.AlreadyJoined, Operation.JoinChannel);

                T.Await(ca.SendMessageAsync(RtmMessage.CreateText("hi room ✓")));
                eb.WaitFor("msg:ch-alice:hi room ✓");
                var data = new byte[] { 1, 2, 3, 0, 255 };
                T.Await(cb.SendMessageAsync(RtmMessage.CreateRaw(data, "raw"), new SendMessageOptions()));
                ea.WaitFor("msg:ch-bob:raw");
                lock (ea) T.True(data.SequenceEqual(ea.Messages[0].GetRawMessage()), "raw payload");
                T.Fails(ca.SendMessageAsync(RtmMessage.CreateRaw(new byte[40000])), (int)ChannelMessageErrorCode.InvalidMessage, Operation.SendChannelMessage);

                T.Equal("ch-alice,ch-bob", string.Join(",", T.Await(ca.GetMembersAsync()).OrderBy(x => x, StringComparer.Ordinal)));
                var counts = T.Await(a.GetChannelMemberCountAsync(new[] { "room", "empty-room" }));
                T.Equal(2, counts["room"]);
                T.Equal(0, counts["empty-room"]);
                ea.WaitFor("count:2");
                T.Fails(a.GetChannelMemberCountAsync(new string[0]), (int)GetChannelMemberCountErrorCode.InvalidArgument, Operation.GetChannelMemberCount);

                T.Await(cb.LeaveAsync());
                ea.WaitFor("left:ch-bob");
                T.Fails(cb.SendMessageAsync(RtmMessage.CreateText("x")), (int)ChannelMessageErrorCode.NotInChannel, Operation.SendChannelMessage);
                T.Fails(cb.GetMembersAsync(), (int)GetMembersErrorCode.NotInChannel, Operation.GetMembers);
                T.Fails(cb.LeaveAsync(), (int)LeaveChannelErrorCode.NotInChannel, Operation.LeaveChannel);

                cb.Dispose();
                T.Fails(cb.JoinAsync(), (int)LocalErrorCode.InvalidState, null);
                var cb2 = b.CreateChannel("room");
                var eb2 = Events.Of(cb2);
                T.Await(cb2.JoinAsync());
                T.Await(ca.SendMessageAsync(RtmMessage.CreateText("again")));
                eb2.WaitFor("msg:ch-alice:again");
                T.Equal(0, eb.Count("msg:ch-alice:again"));
                cb2.Dispose(); // leaves
                ea.WaitFor("left:ch-bob", 2);
                ca.Dispose();
                ca.Dispose();
            }
        }

        [Test]
        public void DisposingTheChannelFromItsOwnHandler()
        {
            using (var a = new RtmClient(T.Config(Server)))
            using (var b = new RtmClient(T.Config(Server)))
            {
                T.Await(a.LoginAsync(null, "cb-alice"));
                T.Await(b.LoginAsync(null, "cb-bob"));
                var ch = a.CreateChannel("self-close");
                var closed = new TaskCompletionSource<bool>();
                ch.MessageReceived += (m, member) =>
                {
                    ch.Dispose();
                    closed.TrySetResult(true);
                };
                T.Await(ch.JoinAsync());
                var cb = b.CreateChannel("self-close");
                T.Await(cb.JoinAsync());
                T.Await(cb.SendMessageAsync(RtmMessage.CreateText("bye")));
                T.Await(closed.Task);
                T.WaitFor("alice gone", () => string.Join(",", T.Await(cb.GetMembersAsync())) == "cb-bob");
            }
        }
    }

    /// <summary>Presence: query, subscribe, changes, query by option, unsubscribe.</summary>
    [Fixture]
    public class PresenceTests : WithServer
    {
        [FixtureSetUp] public static void Start() => StartServer();
        [FixtureTearDown] public static void Stop() => StopServer();

        [Test]
        public void QueryAndSubscribe()
        {
            using (var w = new RtmClient(T.Config(Server)))
            using (var p = new RtmClient(T.Config(Server)))
            {
                var rw = Events.Of(w);
                var both = new[] { "pr-peer", "pr-nobody" };
                T.Fails(w.QueryPeersOnlineStatusAsync(both), (int)QueryPeersOnlineStatusErrorCode.UserNotLoggedIn, Operation.QueryPeersOnlineStatus);
                T.Fails(w.SubscribePeersOnlineStatusAsync(both), (int)PeerSubscriptionStatusErrorCode.UserNotLoggedIn, Operation.PeerSubscription);
                T.Await(w.LoginAsync(null, "pr-watcher"));
                T.Await(p.LoginAsync(null, "pr-peer"));
                T.Fails(w.QueryPeersOnlineStatusAsync(new[] { "bad/peer" }), (int)QueryPeersOnlineStatusErrorCode.InvalidArgument, Operation.QueryPeersOnlineStatus);
                T.Fails(w.QueryPeersOnlineStatusAsync(new string[0]), (int)QueryPeersOnlineStatusErrorCode.InvalidArgument, Operation.QueryPeersOnlineStatus);
                T.Fails(w.SubscribePeersOnlineStatusAsync(new[] { "bad/peer" }), (int)PeerSubscriptionStatusErrorCode.InvalidArgument, Operation.PeerSubscription);
                T.Throws<ArgumentNullException>(() => w.QueryPeersOnlineStatusAsync(null));

                var st = T.Await(w.QueryPeersOnlineStatusAsync(both));
                T.Equal(PeerOnlineState.Online, st["pr-peer"]);
                T.Equal(PeerOnlineState.Offline, st["pr-nobody"]);
                T.Await(w.SubscribePeersOnlineStatusAsync(both));
                rw.WaitFor("online:pr-peer:Online");
                T.Equal("pr-nobody,pr-peer", string.Join(",", T.Await(w.QueryPeersBySubscriptionOptionAsync(PeerSubscriptionOption.OnlineStatus)).OrderBy(x => x)));
                T.Await(p.LogoutAsync());
                rw.WaitFor("online:pr-peer:Offline");
                T.Await(w.UnsubscribePeersOnlineStatusAsync(new[] { "pr-peer" }));
                T.Equal("pr-nobody", string.Join(",", T.Await(w.QueryPeersBySubscriptionOptionAsync(PeerSubscriptionOption.OnlineStatus))));
            }
        }
    }

    /// <summary>User and channel attributes, with notifications to channel members.</summary>
    [Fixture]
    public class AttributesTests : WithServer
    {
        [FixtureSetUp] public static void Start() => StartServer();
        [FixtureTearDown] public static void Stop() => StopServer();

        static string Text(IEnumerable<RtmAttribute> a) => string.Join(",", a.Select(x => x.Key + "=" + x.Value));

        static string Text(IEnumerable<RtmChannelAttribute> a) =>
            string.Join(",", a.Select(x =>
            {
                T.True(x.LastUpdateTs > 0, "last update time");
                return x.Key + "=" + x.Value + "@" + x.LastUpdateUserId;
            }));

        [Test]
        public void UserAttributes()
        {
            using (var a = new RtmClient(T.Config(Server)))
            using (var b = new RtmClient(T.Config(Server)))
            {
                var two = new[] { new RtmAttribute("k1", "v1"), new RtmAttribute("k2", "v2") };
                T.Fails(a.SetLocalUserAttributesAsync(two), (int)AttributeOperationErrorCode.UserNotLoggedIn, Operation.AttributeOperation);
                T.Await(a.LoginAsync(null, "ua-alice"));
                T.Await(b.LoginAsync(null, "ua-bob"));
                T.Await(a.SetLocalUserAttributesAsync(two));
                T.Await(a.AddOrUpdateLocalUserAttributesAsync(new[] { new RtmAttribute("k2", "v2b"), new RtmAttribute("k3", "v3 ✓") }));
                T.Await(a.DeleteLocalUserAttributesByKeysAsync(new[] { "k1" }));
                T.Fails(a.SetLocalUserAttributesAsync(new[] { new RtmAttribute("k", "") }), (int)AttributeOperationErrorCode.InvalidArgument, Operation.AttributeOperation);
                T.Equal("k2=v2b,k3=v3 ✓", Text(T.Await(b.GetUserAttributesAsync("ua-alice"))));
                T.Equal("k3=v3 ✓", Text(T.Await(b.GetUserAttributesByKeysAsync("ua-alice", new[] { "k3", "nope" }))));
                T.Fails(b.GetUserAttributesAsync("nobody"), (int)AttributeOperationErrorCode.UserNotFound, Operation.AttributeOperation);
                T.Await(a.ClearLocalUserAttributesAsync());
                T.Equal("", Text(T.Await(b.GetUserAttributesAsync("ua-alice"))));
                T.Throws<ArgumentNullException>(() => a.SetLocalUserAttributesAsync(null));
            }
        }

        [Test]
        public void ChannelAttributes()
        {
            using (var a = new RtmClient(T.Config(Server)))
            using (var b = new RtmClient(T.Config(Server)))
            {
                T.Await(a.LoginAsync(null, "ca-alice"));
                T.Await(b.LoginAsync(null, "ca-bob"));
                var cb = b.CreateChannel("attrs");
                var eb = Events.Of(cb);
                T.Await(cb.JoinAsync());
                var notify = new ChannelAttributeOptions { EnableNotificationToChannelMembers = true };
                T.Await(a.SetChannelAttributesAsync("attrs", new[] { new RtmAttribute("mode", "m"), new RtmAttribute("topic", "t1") }));
                T.Await(a.AddOrUpdateChannelAttributesAsync("attrs", new[] { new RtmAttribute("topic", "t2") }, notify));
                eb.WaitFor("attrs:mode=m,topic=t2,");
                T.Await(a.DeleteChannelAttributesByKeysAsync("attrs", new[] { "mode" }, notify));
                eb.WaitFor("attrs:topic=t2,");
                T.Equal("topic=t2@ca-alice", Text(T.Await(b.GetChannelAttributesAsync("attrs"))));
                T.Equal("", Text(T.Await(b.GetChannelAttributesByKeysAsync("attrs", new[] { "none" }))));
                T.Fails(a.SetChannelAttributesAsync("bad/channel", new[] { new RtmAttribute("k", "v") }), (int)AttributeOperationErrorCode.InvalidArgument,
                        Operation.AttributeOperation);
                T.Await(a.ClearChannelAttributesAsync("attrs", notify));
                eb.WaitFor("attrs:");
                T.Equal("", Text(T.Await(b.GetChannelAttributesAsync("attrs"))));
            }
        }
    }

    /// <summary>Call invitations: accepted, refused, canceled, peer offline, expired.</summary>
    [Fixture]
    public class InvitationTests : WithServer
    {
        [FixtureSetUp] public static void Start() => StartServer("invitation_offline_ms", "300", "invitation_expire_ms", "3000");
        [FixtureTearDown] public static void Stop() => StopServer();

        static RemoteInvitation Last(Events r)
        {
            lock (r) return r.Remote[r.Remote.Count - 1];
        }

        [Test]
        public void Invitations()
        {
            using (var a = new RtmClient(T.Config(Server)))
            using (var b = new RtmClient(T.Config(Server)))
            {
                var ra = Events.Of(a);
                var rb = Events.Of(b);
                T.Equal((int)LocalErrorCode.InvalidArg, T.Throws<RtmException>(() => a.CreateLocalInvitation("bad/id")).Code);
                var li = a.CreateLocalInvitation("inv-callee");
                T.Equal("inv-callee", li.CalleeId);
                T.True(li.Id != 0, "id");
                T.Equal(LocalInvitationState.Idle, li.State);
                li.Content = "ring ☎";
                li.ChannelId = "call-1";
                T.Equal("ring ☎", li.Content);
                T.Equal("call-1", li.ChannelId);
                T.Equal("", li.Response);
                T.Fails(a.CancelLocalInvitationAsync(li), (int)InvitationApiCallErrorCode.NotStarted, Operation.InvitationApiCall);
                T.Throws<ArgumentNullException>(() => a.SendLocalInvitationAsync(null));

                T.Await(a.LoginAsync(null, "inv-caller"));
                using (var offline = a.CreateLocalInvitation("inv-callee"))
                {
                    T.Await(a.SendLocalInvitationAsync(offline));
                    ra.WaitFor("li_failure:PeerOffline");
                    T.Equal(LocalInvitationState.Failure, offline.State);
                    offline.Dispose();
                    T.Throws<ObjectDisposedException>(() => { var s = offline.State; });
                }

                T.Await(b.LoginAsync(null, "inv-callee"));
                T.Await(a.SendLocalInvitationAsync(li));
                T.Fails(a.SendLocalInvitationAsync(li), (int)InvitationApiCallErrorCode.AlreadySent, Operation.InvitationApiCall);
                rb.WaitFor("ri_received:inv-caller:ring ☎:call-1");
                ra.WaitFor("li_received:inv-callee");
                var ri = Last(rb);
                T.Equal(li.Id, ri.Id);
                T.Equal(RemoteInvitationState.InvitationReceived, ri.State);
                ri.Response = "see you";
                T.Equal("see you", ri.Response);
                T.Await(b.AcceptRemoteInvitationAsync(ri));
                ra.WaitFor("li_accepted:see you");
                rb.WaitFor("ri_accepted");
                T.Equal(LocalInvitationState.AcceptedByRemote, li.State);
                T.Equal("see you", li.Response);
                T.Fails(b.RefuseRemoteInvitationAsync(ri), (int)InvitationApiCallErrorCode.AlreadyAccept, Operation.InvitationApiCall);
                T.Fails(a.CancelLocalInvitationAsync(li), (int)InvitationApiCallErrorCode.AlreadyEnd, Operation.InvitationApiCall);
                ri.Dispose();

                var li2 = a.CreateLocalInvitation("inv-callee");
                T.Await(a.SendLocalInvitationAsync(li2));
                rb.WaitFor("ri_received:", 2);
                var ri2 = Last(rb);
                ri2.Response = "no";
                T.Await(b.RefuseRemoteInvitationAsync(ri2));
                ra.WaitFor("li_refused:no");
                rb.WaitFor("ri_refused");
                T.Equal(LocalInvitationState.RefusedByRemote, li2.State);

                var li3 = a.CreateLocalInvitation("inv-callee");
                T.Await(a.SendLocalInvitationAsync(li3));
                rb.WaitFor("ri_received:", 3);
                T.Await(a.CancelLocalInvitationAsync(li3));
                ra.WaitFor("li_canceled");
                rb.WaitFor("ri_canceled");
                T.Equal(LocalInvitationState.Canceled, li3.State);

                var li4 = a.CreateLocalInvitation("inv-callee");
                T.Await(a.SendLocalInvitationAsync(li4));
                ra.WaitFor("li_failure:InvitationExpire");
                rb.WaitFor("ri_failure:InvitationExpire");
                foreach (var i in new[] { li, li2, li3, li4 }) i.Dispose();
            }
        }
    }
}
