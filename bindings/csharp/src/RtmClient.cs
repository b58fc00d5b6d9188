using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using RtmKit.Native;

namespace RtmKit
{
    /// <summary>
    /// An RTM client over the C API. Every operation returns a Task that completes when its result
    /// event arrives, or fails with an <see cref="RtmException"/> carrying the operation's RTM code (at
    /// once when the library refused the call). Events are raised on the client's dispatcher thread
    /// ("rtm-dispatch"), one at a time, in order; task continuations run on the thread pool.
    /// An exception thrown by an event handler is passed to <see cref="CallbackException"/> and the
    /// client goes on. Dispose from any thread except a handler of this client.
    /// </summary>
    public sealed class RtmClient : IDisposable
    {
        internal readonly object Gate = new object();
        internal volatile bool Closing;
        internal readonly Dictionary<long, RtmChannel> Channels = new Dictionary<long, RtmChannel>();

        private SWIGTYPE_p_rtm_client_s handle;
        private Bridge bridge;
        private GCHandle bridgeRoot; // keeps the director (and this client) alive while the native client exists
        private long nextChannelKey = 1;

        private TaskCompletionSource<bool> login;
        private TaskCompletionSource<bool> logout;
        private readonly List<KeyValuePair<string, TaskCompletionSource<bool>>> renews = new List<KeyValuePair<string, TaskCompletionSource<bool>>>();
        private readonly Dictionary<long, TaskCompletionSource<PeerMessageErrorCode>> peerSends = new Dictionary<long, TaskCompletionSource<PeerMessageErrorCode>>();
        private readonly Dictionary<long, KeyValuePair<RtmChannel, TaskCompletionSource<bool>>> channelSends =
            new Dictionary<long, KeyValuePair<RtmChannel, TaskCompletionSource<bool>>>();
        private readonly Dictionary<long, IPending> requests = new Dictionary<long, IPending>();
        private readonly Dictionary<long, LocalInvitation> localInvitations = new Dictionary<long, LocalInvitation>();
        private readonly Dictionary<long, RemoteInvitation> remoteInvitations = new Dictionary<long, RemoteInvitation>();

        /// <summary>Creates a client (not logged in).</summary>
        public RtmClient(RtmConfig config)
        {
            if (config == null) throw new ArgumentNullException(nameof(config));
            RtmKitLibrary.CheckCompat();
            int rc;
            var conf = RtmNative.conf_new(out rc);
            RtmException.Check(rc, null, "rtm_conf_new");
            bridge = new Bridge(this);
            try
            {
                foreach (var kv in config.Values)
                    RtmException.Check(RtmNative.conf_set(conf, kv.Key, kv.Value), null, "client key " + kv.Key);
                RtmException.Check(RtmNative.attach_listener(conf, bridge), null, "attach_listener");
                handle = RtmNative.client_new(conf, out rc);
                RtmException.Check(rc, null, "rtm_client_new");
            }
            catch
            {
                RtmNative.rtm_conf_destroy(conf); // the client did not take it
                bridge.Dispose();
                throw;
            }
            bridgeRoot = GCHandle.Alloc(bridge);
        }

        // ---- events ----------------------------------------------------------------------------------

        public event Action<ConnectionState, ConnectionChangeReason> ConnectionStateChanged;
        /// <summary>A peer message: (message, peer id).</summary>
        public event Action<RtmMessage, string> MessageReceived;
        /// <summary>Reconnecting failed because the token expired: call RenewTokenAsync.</summary>
        public event Action TokenExpired;
        public event Action TokenPrivilegeWillExpire;
        public event Action<IDictionary<string, PeerOnlineState>> PeersOnlineStatusChanged;
        public event Action<LocalInvitation> LocalInvitationReceivedByPeer;
        public event Action<LocalInvitation, string> LocalInvitationAccepted;
        public event Action<LocalInvitation, string> LocalInvitationRefused;
        public event Action<LocalInvitation> LocalInvitationCanceled;
        public event Action<LocalInvitation, LocalInvitationErrorCode> LocalInvitationFailure;
        /// <summary>An invitation arrived: answer it with AcceptRemoteInvitationAsync or RefuseRemoteInvitationAsync.</summary>
        public event Action<RemoteInvitation> RemoteInvitationReceived;
        public event Action<RemoteInvitation> RemoteInvitationAccepted;
        public event Action<RemoteInvitation> RemoteInvitationRefused;
        public event Action<RemoteInvitation> RemoteInvitationCanceled;
        public event Action<RemoteInvitation, RemoteInvitationErrorCode> RemoteInvitationFailure;
        /// <summary>Exceptions thrown by event handlers (default when unset: written to Console.Error).</summary>
        public event Action<Exception> CallbackException;

        // ---- login -----------------------------------------------------------------------------------

        /// <summary>Logs in (token null or "" when the app has no certificate); fails with the LoginErrorCode.</summary>
        public Task LoginAsync(string token, string userId)
        {
            var t = NewSource<bool>();
            lock (Gate)
            {
                if (!Live(t)) return t.Task;
                int rc = RtmNative.rtm_client_login(handle, token, userId);
                if (rc != 0) return Failed(t, rc, Operation.Login, "Login");
                login?.TrySetException(new RtmException((int)LoginErrorCode.Unknown, Operation.Login, "superseded"));
                login = t;
            }
            return t.Task;
        }

        public Task LogoutAsync()
        {
            var t = NewSource<bool>();
            lock (Gate)
            {
                if (!Live(t)) return t.Task;
                int rc = RtmNative.rtm_client_logout(handle);
                if (rc != 0) return Failed(t, rc, Operation.Logout, "Logout");
                logout = t;
            }
            return t.Task;
        }

        public Task RenewTokenAsync(string token)
        {
            var t = NewSource<bool>();
            lock (Gate)
            {
                if (!Live(t)) return t.Task;
                int rc = RtmNative.rtm_client_renew_token(handle, token);
                if (rc != 0) return Failed(t, rc, Operation.RenewToken, "RenewToken");
                renews.Add(new KeyValuePair<string, TaskCompletionSource<bool>>(token ?? "", t));
            }
            return t.Task;
        }

        public ConnectionState ConnectionState
        {
            get { lock (Gate) return handle == null || Closing ? ConnectionState.Disconnected : (ConnectionState)RtmNative.rtm_client_state(handle); }
        }

        /// <summary>The user id of the last login ("" before).</summary>
        public string UserId
        {
            get { lock (Gate) return handle == null || Closing ? "" : RtmKitLibrary.Text(RtmNative.client_user_id(handle), "UserId"); }
        }

        // ---- messages --------------------------------------------------------------------------------

        /// <summary>Sends a peer message: Ok or CachedByServer; fails with the other PeerMessageErrorCodes.</summary>
        public Task<PeerMessageErrorCode> SendMessageToPeerAsync(string peerId, RtmMessage message, SendMessageOptions options = null)
        {
            if (message == null) throw new ArgumentNullException(nameof(message));
            var t = NewSource<PeerMessageErrorCode>();
            lock (Gate)
            {
                if (!Live(t)) return t.Task;
                var m = message.ToNative(Operation.SendPeerMessage, "SendMessageToPeer");
                long id;
                int rc;
                try
                {
                    rc = RtmNative.send_message_to_peer(out id, handle, peerId, m, options != null && options.EnableOfflineMessaging ? 1 : 0,
                                                        options != null && options.EnableHistoricalMessaging ? 1 : 0);
                }
                finally
                {
                    RtmNative.rtm_message_destroy(m);
                }
                if (rc != 0) return Failed(t, rc, Operation.SendPeerMessage, "SendMessageToPeer");
                peerSends[id] = t;
            }
            return t.Task;
        }

        internal Task SendChannelMessage(RtmChannel ch, RtmMessage message, SendMessageOptions options, TaskCompletionSource<bool> t)
        {
            var m = message.ToNative(Operation.SendChannelMessage, "SendMessage");
            long id;
            int rc;
            try
            {
                rc = RtmNative.channel_send_message(out id, ch.Handle, m, options != null && options.EnableOfflineMessaging ? 1 : 0,
                                                    options != null && options.EnableHistoricalMessaging ? 1 : 0);
            }
            finally
            {
                RtmNative.rtm_message_destroy(m);
            }
            if (rc != 0) return Failed(t, rc, Operation.SendChannelMessage, "SendMessage");
            channelSends[id] = new KeyValuePair<RtmChannel, TaskCompletionSource<bool>>(ch, t);
            return t.Task;
        }

        internal void FailChannelSends(RtmChannel ch, Exception e)
        {
            foreach (var id in channelSends.Where(kv => kv.Value.Key == ch).Select(kv => kv.Key).ToList())
            {
                channelSends[id].Value.TrySetException(e);
                channelSends.Remove(id);
            }
        }

        // ---- channels --------------------------------------------------------------------------------

        /// <summary>Creates the channel (not joined yet); subscribe to its events before joining.</summary>
        public RtmChannel CreateChannel(string channelId)
        {
            lock (Gate)
            {
                if (handle == null || Closing) throw RtmException.Closed("the client is disposed");
                long key = nextChannelKey++;
                int rc;
                var h = RtmNative.channel_create(handle, channelId, key, out rc);
                RtmException.Check(rc, Operation.JoinChannel, "CreateChannel");
                var ch = new RtmChannel(this, key, channelId, h);
                Channels[key] = ch;
                return ch;
            }
        }

        // ---- presence --------------------------------------------------------------------------------

        public Task<IDictionary<string, PeerOnlineState>> QueryPeersOnlineStatusAsync(IEnumerable<string> peerIds) =>
            Request<IDictionary<string, PeerOnlineState>>(Operation.QueryPeersOnlineStatus, "QueryPeersOnlineStatus",
                (out long id) => { using (var a = Strings(peerIds)) return RtmNative.query_peers_online_status(out id, handle, a); });

        public Task SubscribePeersOnlineStatusAsync(IEnumerable<string> peerIds) =>
            Request<object>(Operation.PeerSubscription, "SubscribePeersOnlineStatus",
                (out long id) => { using (var a = Strings(peerIds)) return RtmNative.subscribe_peers_online_status(out id, handle, a); });

        public Task UnsubscribePeersOnlineStatusAsync(IEnumerable<string> peerIds) =>
            Request<object>(Operation.PeerSubscription, "UnsubscribePeersOnlineStatus",
                (out long id) => { using (var a = Strings(peerIds)) return RtmNative.unsubscribe_peers_online_status(out id, handle, a); });

        public Task<ISet<string>> QueryPeersBySubscriptionOptionAsync(PeerSubscriptionOption option) =>
            Request<ISet<string>>(Operation.QueryPeersBySubscriptionOption, "QueryPeersBySubscriptionOption",
                (out long id) => RtmNative.rtm_client_query_peers_by_subscription_option(out id, handle, (int)option));

        // ---- attributes ------------------------------------------------------------------------------

        public Task SetLocalUserAttributesAsync(IEnumerable<RtmAttribute> attributes) =>
            Request<object>(Operation.AttributeOperation, "SetLocalUserAttributes",
                (out long id) => { using (var a = Attributes(attributes)) return RtmNative.set_local_user_attributes(out id, handle, a); });

        public Task AddOrUpdateLocalUserAttributesAsync(IEnumerable<RtmAttribute> attributes) =>
            Request<object>(Operation.AttributeOperation, "AddOrUpdateLocalUserAttributes",
                (out long id) => { using (var a = Attributes(attributes)) return RtmNative.add_or_update_local_user_attributes(out id, handle, a); });

        public Task DeleteLocalUserAttributesByKeysAsync(IEnumerable<string> keys) =>
            Request<object>(Operation.AttributeOperation, "DeleteLocalUserAttributesByKeys",
                (out long id) => { using (var a = Strings(keys)) return RtmNative.delete_local_user_attributes_by_keys(out id, handle, a); });

        public Task ClearLocalUserAttributesAsync() =>
            Request<object>(Operation.AttributeOperation, "ClearLocalUserAttributes",
                (out long id) => RtmNative.rtm_client_clear_local_user_attributes(out id, handle));

        public Task<IList<RtmAttribute>> GetUserAttributesAsync(string userId) =>
            Request<IList<RtmAttribute>>(Operation.AttributeOperation, "GetUserAttributes",
                (out long id) => RtmNative.rtm_client_get_user_attributes(out id, handle, userId));

        public Task<IList<RtmAttribute>> GetUserAttributesByKeysAsync(string userId, IEnumerable<string> keys) =>
            Request<IList<RtmAttribute>>(Operation.AttributeOperation, "GetUserAttributesByKeys",
                (out long id) => { using (var a = Strings(keys)) return RtmNative.get_user_attributes_by_keys(out id, handle, userId, a); });

        public Task SetChannelAttributesAsync(string channelId, IEnumerable<RtmAttribute> attributes, ChannelAttributeOptions options = null) =>
            Request<object>(Operation.AttributeOperation, "SetChannelAttributes",
                (out long id) => { using (var a = Attributes(attributes)) return RtmNative.set_channel_attributes(out id, handle, channelId, a, Notify(options)); });

        public Task AddOrUpdateChannelAttributesAsync(string channelId, IEnumerable<RtmAttribute> attributes, ChannelAttributeOptions options = null) =>
            Request<object>(Operation.AttributeOperation, "AddOrUpdateChannelAttributes",
                (out long id) => { using (var a = Attributes(attributes)) return RtmNative.add_or_update_channel_attributes(out id, handle, channelId, a, Notify(options)); });

        public Task DeleteChannelAttributesByKeysAsync(string channelId, IEnumerable<string> keys, ChannelAttributeOptions options = null) =>
            Request<object>(Operation.AttributeOperation, "DeleteChannelAttributesByKeys",
                (out long id) => { using (var a = Strings(keys)) return RtmNative.delete_channel_attributes_by_keys(out id, handle, channelId, a, Notify(options)); });

        public Task ClearChannelAttributesAsync(string channelId, ChannelAttributeOptions options = null) =>
            Request<object>(Operation.AttributeOperation, "ClearChannelAttributes",
                (out long id) => RtmNative.clear_channel_attributes(out id, handle, channelId, Notify(options)));

        public Task<IList<RtmChannelAttribute>> GetChannelAttributesAsync(string channelId) =>
            Request<IList<RtmChannelAttribute>>(Operation.AttributeOperation, "GetChannelAttributes",
                (out long id) => RtmNative.rtm_client_get_channel_attributes(out id, handle, channelId));

        public Task<IList<RtmChannelAttribute>> GetChannelAttributesByKeysAsync(string channelId, IEnumerable<string> keys) =>
            Request<IList<RtmChannelAttribute>>(Operation.AttributeOperation, "GetChannelAttributesByKeys",
                (out long id) => { using (var a = Strings(keys)) return RtmNative.get_channel_attributes_by_keys(out id, handle, channelId, a); });

        /// <summary>The member count of each channel; fails with the GetChannelMemberCountErrorCode.</summary>
        public Task<IDictionary<string, int>> GetChannelMemberCountAsync(IEnumerable<string> channelIds) =>
            Request<IDictionary<string, int>>(Operation.GetChannelMemberCount, "GetChannelMemberCount",
                (out long id) => { using (var a = Strings(channelIds)) return RtmNative.get_channel_member_count(out id, handle, a); });

        // ---- invitations -----------------------------------------------------------------------------

        public LocalInvitation CreateLocalInvitation(string calleeId)
        {
            lock (Gate)
            {
                if (handle == null || Closing) throw RtmException.Closed("the client is disposed");
                int rc;
                var h = RtmNative.local_invitation_create(handle, calleeId, out rc);
                RtmException.Check(rc, Operation.InvitationApiCall, "CreateLocalInvitation");
                return new LocalInvitation(h);
            }
        }

        /// <summary>Sends the invitation; its progress arrives through the LocalInvitation* events.</summary>
        public Task SendLocalInvitationAsync(LocalInvitation invitation)
        {
            if (invitation == null) throw new ArgumentNullException(nameof(invitation));
            return InvitationCall("SendLocalInvitation", () =>
            {
                int rc = RtmNative.rtm_client_send_local_invitation(handle, invitation.Handle());
                if (rc == 0) localInvitations[invitation.Id] = invitation;
                return rc;
            });
        }

        public Task CancelLocalInvitationAsync(LocalInvitation invitation)
        {
            if (invitation == null) throw new ArgumentNullException(nameof(invitation));
            return InvitationCall("CancelLocalInvitation", () => RtmNative.rtm_client_cancel_local_invitation(handle, invitation.Handle()));
        }

        public Task AcceptRemoteInvitationAsync(RemoteInvitation invitation)
        {
            if (invitation == null) throw new ArgumentNullException(nameof(invitation));
            return InvitationCall("AcceptRemoteInvitation", () => RtmNative.rtm_client_accept_remote_invitation(handle, invitation.Handle()));
        }

        public Task RefuseRemoteInvitationAsync(RemoteInvitation invitation)
        {
            if (invitation == null) throw new ArgumentNullException(nameof(invitation));
            return InvitationCall("RefuseRemoteInvitation", () => RtmNative.rtm_client_refuse_remote_invitation(handle, invitation.Handle()));
        }

        private Task InvitationCall(string what, Func<int> call)
        {
            var t = NewSource<bool>();
            lock (Gate)
            {
                if (!Live(t)) return t.Task;
                int rc = call();
                if (rc != 0) return Failed(t, rc, Operation.InvitationApiCall, what);
            }
            t.TrySetResult(true);
            return t.Task;
        }

        // ---- dispose ---------------------------------------------------------------------------------

        /// <summary>
        /// Stops the client: waits for a handler in flight, releases the channels, fails the pending
        /// tasks. Refused (RtmException, InvalidState) from a handler of this client.
        /// </summary>
        public void Dispose()
        {
            SWIGTYPE_p_rtm_client_s h;
            lock (Gate)
            {
                if (handle == null || Closing) return;
                Closing = true;
                h = handle;
            }
            int rc = RtmNative.rtm_client_destroy(h);
            if (rc != 0)
            {
                lock (Gate) Closing = false;
                throw RtmException.Of(rc, null, "Dispose");
            }
            lock (Gate)
            {
                handle = null;
                var e = RtmException.Closed("the client was disposed");
                foreach (var ch in Channels.Values.ToList())
                {
                    ch.Handle = null;
                    ch.FailPending("the client was disposed");
                }
                Channels.Clear();
                login?.TrySetException(e);
                logout?.TrySetException(e);
                foreach (var r in renews) r.Value.TrySetException(e);
                foreach (var s in peerSends.Values) s.TrySetException(e);
                foreach (var r in requests.Values) r.Fail(e);
                login = logout = null;
                renews.Clear();
                peerSends.Clear();
                requests.Clear();
                localInvitations.Clear();
                remoteInvitations.Clear();
            }
            // no callback runs any more: the director can go
            bridge.Dispose();
            bridgeRoot.Free();
        }

        // ---- helpers ---------------------------------------------------------------------------------

        internal static TaskCompletionSource<T> NewSource<T>() =>
            new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);

        internal static Task<T> Failed<T>(TaskCompletionSource<T> t, int rc, Operation op, string what)
        {
            t.TrySetException(RtmException.Of(rc, op, what));
            return t.Task;
        }

        private bool Live<T>(TaskCompletionSource<T> t)
        {
            if (handle == null || Closing)
            {
                t.TrySetException(RtmException.Closed("the client is disposed"));
                return false;
            }
            return true;
        }

        private delegate int RequestCall(out long id);

        private interface IPending
        {
            void Settle(int code, object value);
            void Fail(Exception e);
        }

        private sealed class Pending<T> : IPending
        {
            internal readonly TaskCompletionSource<T> Source = NewSource<T>();
            internal Operation Op;
            internal string What;

            public void Settle(int code, object value)
            {
                if (code == 0) Source.TrySetResult((T)value);
                else Source.TrySetException(new RtmException(code, Op, What + ": " + RtmException.NameOf(code, Op) + " (" + code + ")"));
            }

            public void Fail(Exception e) => Source.TrySetException(e);
        }

        private Task<T> Request<T>(Operation op, string what, RequestCall call)
        {
            var p = new Pending<T> { Op = op, What = what };
            lock (Gate)
            {
                if (!Live(p.Source)) return p.Source.Task;
                long id;
                int rc = call(out id);
                if (rc != 0) return Failed(p.Source, rc, op, what);
                requests[id] = p;
            }
            return p.Source.Task;
        }

        private static StringArray Strings(IEnumerable<string> items)
        {
            if (items == null) throw new ArgumentNullException(nameof(items));
            var a = new StringArray();
            foreach (var s in items) a.add(s);
            return a;
        }

        private static AttributeArray Attributes(IEnumerable<RtmAttribute> items)
        {
            if (items == null) throw new ArgumentNullException(nameof(items));
            var a = new AttributeArray();
            foreach (var at in items) a.add(at.Key, at.Value);
            return a;
        }

        private static int Notify(ChannelAttributeOptions o) => o != null && o.EnableNotificationToChannelMembers ? 1 : 0;

        private void Report(Exception e)
        {
            try
            {
                var h = CallbackException;
                if (h != null) h(e);
                else Console.Error.WriteLine("rtmkit: exception in an event handler: " + e);
            }
            catch
            {
                // the handler itself failed: nothing more to do on the dispatcher
            }
        }

        private IPending TakeRequest(long id)
        {
            lock (Gate)
            {
                IPending p;
                if (requests.TryGetValue(id, out p)) requests.Remove(id);
                return p;
            }
        }

        private RtmChannel ChannelOf(long key)
        {
            lock (Gate)
            {
                RtmChannel ch;
                Channels.TryGetValue(key, out ch);
                return ch;
            }
        }

        private static void Settle<T>(TaskCompletionSource<T> t, int code, T value, Operation op, string what)
        {
            if (t == null) return;
            if (code == 0) t.TrySetResult(value);
            else t.TrySetException(new RtmException(code, op, what + ": " + RtmException.NameOf(code, op) + " (" + code + ")"));
        }

        private static List<string> ListOf(StringList l)
        {
            var r = new List<string>((int)l.size());
            for (uint i = 0; i < l.size(); i++) r.Add(l.get(i));
            return r;
        }

        private static Dictionary<string, PeerOnlineState> StatesOf(StringList peers, StateList states)
        {
            var d = new Dictionary<string, PeerOnlineState>();
            for (uint i = 0; i < peers.size(); i++) d[peers.get(i)] = (PeerOnlineState)states.get(i);
            return d;
        }

        private static List<RtmChannelAttribute> ChannelAttributesOf(ChannelAttributeList l)
        {
            var r = new List<RtmChannelAttribute>();
            for (uint i = 0; i < l.size(); i++) r.Add(new RtmChannelAttribute(l.key(i), l.value(i), l.lastUpdateUserId(i), l.lastUpdateTs(i)));
            return r;
        }

        /// <summary>
        /// The director: every event of the C API arrives here on the dispatcher thread. Each override
        /// catches every exception, so that none unwinds into native frames.
        /// </summary>
        private sealed class Bridge : ClientListener
        {
            private readonly RtmClient c;

            internal Bridge(RtmClient client) { c = client; }

            private void Run(Action a)
            {
                try
                {
                    a();
                }
                catch (Exception e)
                {
                    c.Report(e);
                }
            }

            public override void onConnectionStateChanged(int state, int reason) =>
                Run(() => c.ConnectionStateChanged?.Invoke((ConnectionState)state, (ConnectionChangeReason)reason));

            public override void onLoginSuccess() => Run(() =>
            {
                TaskCompletionSource<bool> t;
                lock (c.Gate) { t = c.login; c.login = null; }
                t?.TrySetResult(true);
            });

            public override void onLoginFailure(int code) => Run(() =>
            {
                TaskCompletionSource<bool> t;
                lock (c.Gate) { t = c.login; c.login = null; }
                Settle(t, code, true, Operation.Login, "Login");
            });

            public override void onLogout(int code) => Run(() =>
            {
                TaskCompletionSource<bool> t;
                lock (c.Gate) { t = c.logout; c.logout = null; }
                Settle(t, code, true, Operation.Logout, "Logout");
            });

            public override void onRenewTokenResult(string token, int code) => Run(() =>
            {
                TaskCompletionSource<bool> t = null;
                lock (c.Gate)
                {
                    int i = c.renews.FindIndex(kv => kv.Key == (token ?? ""));
                    if (i < 0 && c.renews.Count > 0) i = 0;
                    if (i >= 0)
                    {
                        t = c.renews[i].Value;
                        c.renews.RemoveAt(i);
                    }
                }
                Settle(t, code, true, Operation.RenewToken, "RenewToken");
            });

            public override void onTokenExpired() => Run(() => c.TokenExpired?.Invoke());

            public override void onTokenPrivilegeWillExpire() => Run(() => c.TokenPrivilegeWillExpire?.Invoke());

            public override void onSendMessageResult(long messageId, int code) => Run(() =>
            {
                TaskCompletionSource<PeerMessageErrorCode> t;
                lock (c.Gate)
                {
                    if (c.peerSends.TryGetValue(messageId, out t)) c.peerSends.Remove(messageId);
                }
                if (t == null) return;
                if (code == 0 || code == (int)PeerMessageErrorCode.CachedByServer) t.TrySetResult((PeerMessageErrorCode)code);
                else Settle(t, code, PeerMessageErrorCode.Ok, Operation.SendPeerMessage, "SendMessageToPeer");
            });

            public override void onMessageReceivedFromPeer(string peerId, SWIGTYPE_p_rtm_message_s message) =>
                Run(() => c.MessageReceived?.Invoke(RtmMessage.FromNative(message), peerId));

            public override void onChannelJoinSuccess(long key) => Run(() =>
            {
                var ch = c.ChannelOf(key);
                TaskCompletionSource<bool> t = null;
                if (ch != null) lock (c.Gate) if (ch.Joins.Count > 0) t = ch.Joins.Dequeue();
                t?.TrySetResult(true);
            });

            public override void onChannelJoinFailure(long key, int code) => Run(() =>
            {
                var ch = c.ChannelOf(key);
                TaskCompletionSource<bool> t = null;
                if (ch != null) lock (c.Gate) if (ch.Joins.Count > 0) t = ch.Joins.Dequeue();
                Settle(t, code, true, Operation.JoinChannel, "Join");
            });

            public override void onChannelLeave(long key, int code) => Run(() =>
            {
                var ch = c.ChannelOf(key);
                TaskCompletionSource<bool> t = null;
                if (ch != null) lock (c.Gate) if (ch.Leaves.Count > 0) t = ch.Leaves.Dequeue();
                Settle(t, code, true, Operation.LeaveChannel, "Leave");
            });

            public override void onChannelMessageReceived(long key, string memberId, SWIGTYPE_p_rtm_message_s message) => Run(() =>
            {
                var ch = c.ChannelOf(key);
                ch?.RaiseMessage(RtmMessage.FromNative(message), memberId);
            });

            public override void onChannelSendMessageResult(long key, long messageId, int code) => Run(() =>
            {
                KeyValuePair<RtmChannel, TaskCompletionSource<bool>> p;
                bool found;
                lock (c.Gate)
                {
                    found = c.channelSends.TryGetValue(messageId, out p);
                    if (found) c.channelSends.Remove(messageId);
                }
                if (found) Settle(p.Value, code, true, Operation.SendChannelMessage, "SendMessage");
            });

            public override void onChannelMemberJoined(long key, string memberId) => Run(() => c.ChannelOf(key)?.RaiseJoined(memberId));

            public override void onChannelMemberLeft(long key, string memberId) => Run(() => c.ChannelOf(key)?.RaiseLeft(memberId));

            public override void onChannelGetMembersResult(long key, StringList members, int code)
            {
                var ids = ListOf(members);
                Run(() =>
                {
                    var ch = c.ChannelOf(key);
                    TaskCompletionSource<IList<string>> t = null;
                    if (ch != null) lock (c.Gate) if (ch.MemberQueries.Count > 0) t = ch.MemberQueries.Dequeue();
                    Settle<IList<string>>(t, code, ids, Operation.GetMembers, "GetMembers");
                });
            }

            public override void onChannelMemberCountUpdated(long key, int count) => Run(() => c.ChannelOf(key)?.RaiseCount(count));

            public override void onChannelAttributesUpdated(long key, ChannelAttributeList attributes)
            {
                var a = ChannelAttributesOf(attributes);
                Run(() => c.ChannelOf(key)?.RaiseAttributes(a));
            }

            public override void onQueryPeersOnlineStatusResult(long requestId, StringList peers, StateList states, int code)
            {
                IDictionary<string, PeerOnlineState> d = StatesOf(peers, states);
                Run(() => c.TakeRequest(requestId)?.Settle(code, d));
            }

            public override void onSubscriptionRequestResult(long requestId, int code) =>
                Run(() => c.TakeRequest(requestId)?.Settle(code, null));

            public override void onQueryPeersBySubscriptionOptionResult(long requestId, StringList peers, int code)
            {
                ISet<string> s = new HashSet<string>(ListOf(peers));
                Run(() => c.TakeRequest(requestId)?.Settle(code, s));
            }

            public override void onPeersOnlineStatusChanged(StringList peers, StateList states)
            {
                IDictionary<string, PeerOnlineState> d = StatesOf(peers, states);
                Run(() => c.PeersOnlineStatusChanged?.Invoke(d));
            }

            public override void onAttributeResult(int operation, long requestId, int code) =>
                Run(() => c.TakeRequest(requestId)?.Settle(code, null));

            public override void onGetUserAttributesResult(long requestId, string userId, AttributeList attributes, int code)
            {
                IList<RtmAttribute> l = new List<RtmAttribute>();
                for (uint i = 0; i < attributes.size(); i++) l.Add(new RtmAttribute(attributes.key(i), attributes.value(i)));
                Run(() => c.TakeRequest(requestId)?.Settle(code, l));
            }

            public override void onGetChannelAttributesResult(long requestId, ChannelAttributeList attributes, int code)
            {
                IList<RtmChannelAttribute> l = ChannelAttributesOf(attributes);
                Run(() => c.TakeRequest(requestId)?.Settle(code, l));
            }

            public override void onGetChannelMemberCountResult(long requestId, StringList channelIds, IntList counts, int code)
            {
                IDictionary<string, int> d = new Dictionary<string, int>();
                for (uint i = 0; i < channelIds.size(); i++) d[channelIds.get(i)] = counts.get(i);
                Run(() => c.TakeRequest(requestId)?.Settle(code, d));
            }

            private LocalInvitation Local(SWIGTYPE_p_rtm_local_invitation_s h, bool last)
            {
                long id = RtmNative.rtm_local_invitation_id(h);
                lock (c.Gate)
                {
                    LocalInvitation li;
                    if (c.localInvitations.TryGetValue(id, out li) && last) c.localInvitations.Remove(id);
                    return li;
                }
            }

            private RemoteInvitation Remote(SWIGTYPE_p_rtm_remote_invitation_s h, bool last)
            {
                long id = RtmNative.rtm_remote_invitation_id(h);
                lock (c.Gate)
                {
                    RemoteInvitation ri;
                    if (c.remoteInvitations.TryGetValue(id, out ri) && last) c.remoteInvitations.Remove(id);
                    return ri;
                }
            }

            public override void onLocalInvitationReceivedByPeer(SWIGTYPE_p_rtm_local_invitation_s inv) => Run(() =>
            {
                var li = Local(inv, false);
                if (li != null) c.LocalInvitationReceivedByPeer?.Invoke(li);
            });

            public override void onLocalInvitationAccepted(SWIGTYPE_p_rtm_local_invitation_s inv, string response) => Run(() =>
            {
                var li = Local(inv, true);
                if (li != null) c.LocalInvitationAccepted?.Invoke(li, response);
            });

            public override void onLocalInvitationRefused(SWIGTYPE_p_rtm_local_invitation_s inv, string response) => Run(() =>
            {
                var li = Local(inv, true);
                if (li != null) c.LocalInvitationRefused?.Invoke(li, response);
            });

            public override void onLocalInvitationCanceled(SWIGTYPE_p_rtm_local_invitation_s inv) => Run(() =>
            {
                var li = Local(inv, true);
                if (li != null) c.LocalInvitationCanceled?.Invoke(li);
            });

            public override void onLocalInvitationFailure(SWIGTYPE_p_rtm_local_invitation_s inv, int code) => Run(() =>
            {
                var li = Local(inv, true);
                if (li != null) c.LocalInvitationFailure?.Invoke(li, (LocalInvitationErrorCode)code);
            });

            public override void onRemoteInvitationReceived(SWIGTYPE_p_rtm_remote_invitation_s inv) => Run(() =>
            {
                var ri = new RemoteInvitation(inv);
                lock (c.Gate) c.remoteInvitations[ri.Id] = ri;
                c.RemoteInvitationReceived?.Invoke(ri);
            });

            public override void onRemoteInvitationAccepted(SWIGTYPE_p_rtm_remote_invitation_s inv) => Run(() =>
            {
                var ri = Remote(inv, true);
                if (ri != null) c.RemoteInvitationAccepted?.Invoke(ri);
            });

            public override void onRemoteInvitationRefused(SWIGTYPE_p_rtm_remote_invitation_s inv) => Run(() =>
            {
                var ri = Remote(inv, true);
                if (ri != null) c.RemoteInvitationRefused?.Invoke(ri);
            });

            public override void onRemoteInvitationCanceled(SWIGTYPE_p_rtm_remote_invitation_s inv) => Run(() =>
            {
                var ri = Remote(inv, true);
                if (ri != null) c.RemoteInvitationCanceled?.Invoke(ri);
            });

            public override void onRemoteInvitationFailure(SWIGTYPE_p_rtm_remote_invitation_s inv, int code) => Run(() =>
            {
                var ri = Remote(inv, true);
                if (ri != null) c.RemoteInvitationFailure?.Invoke(ri, (RemoteInvitationErrorCode)code);
            });
        }
    }
}
