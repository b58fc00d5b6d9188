using System;
using System.Runtime.InteropServices;
using RtmKit.Native;

namespace RtmKit.Signaling
{
    /// <summary>
    /// The Signaling compatibility API (the legacy IAgoraAPI, docs/migrating-from-signaling.md) over the C
    /// ABI's rtm_sig_*: one instance of one app id, talking rtm.v1 to rtmd, so that it exchanges messages,
    /// channels and invitations with RTM users of the same app. As in Signaling, outcomes arrive through
    /// the <see cref="SignalCallback"/>; a method throws <see cref="RtmException"/> only for a programming
    /// error that produces no callback (a null argument, a disposed instance). Method names follow
    /// IAgoraAPI; legacy uid arguments are dropped (always 0).
    /// </summary>
    public sealed class Signal : IDisposable
    {
        private readonly object gate = new object();
        private SWIGTYPE_p_rtm_sig_s handle;
        private readonly Bridge bridge;
        private GCHandle bridgeRoot;
        private readonly SignalCallback callback;

        /// <summary>An instance for config's app id (and url and other client keys).</summary>
        public Signal(RtmConfig config, SignalCallback callback)
        {
            if (config == null) throw new ArgumentNullException(nameof(config));
            RtmKitLibrary.CheckCompat();
            this.callback = callback ?? new SignalCallback();
            int rc;
            var conf = RtmNative.conf_new(out rc);
            Check(rc, "rtm_conf_new");
            bridge = new Bridge(this);
            try
            {
                foreach (var kv in config.Values) Check(RtmNative.conf_set(conf, kv.Key, kv.Value), "key " + kv.Key);
                Check(RtmNative.attach_signal_listener(conf, bridge), "attach_signal_listener");
                handle = RtmNative.sig_new(conf, out rc);
                Check(rc, "rtm_sig_new");
            }
            catch
            {
                RtmNative.rtm_conf_destroy(conf);
                bridge.Dispose();
                throw;
            }
            bridgeRoot = GCHandle.Alloc(bridge);
        }

        /// <summary>Exceptions thrown by the callback (default when unset: written to Console.Error).</summary>
        public event Action<Exception> CallbackException;

        /// <summary>The name of an AGORA_E_CODE number, e.g. "LOGIN_E_TOKENWRONG".</summary>
        public static string EcodeName(int ecode) => RtmNative.rtm_sig_ecode_name(ecode);

        /// <summary>A legacy Signaling token: "1:appId:expiredTs:md5(account + appId + certificate + expiredTs)".</summary>
        public static string BuildToken(string appId, string appCertificate, string account, uint expiredTs) =>
            RtmKitLibrary.Text(RtmNative.token_build_signaling(appId, appCertificate, account, expiredTs), "BuildToken");

        /// <summary>0 not logged in, 1 logging in, 2 logged in, 3 reconnecting.</summary>
        public int Status { get { lock (gate) return handle == null ? 0 : RtmNative.rtm_sig_get_status(handle); } }

        public string Account { get { lock (gate) return handle == null ? "" : RtmNative.rtm_sig_account(handle); } }

        public void Login(string account, string token) => Call("Login", h => RtmNative.rtm_sig_login(h, account, token));

        public void Login2(string account, string token, int retryTimeS, int retryCount) => Call("Login2", h => RtmNative.rtm_sig_login2(h, account, token, retryTimeS, retryCount));

        public void Logout() => Call("Logout", h => RtmNative.rtm_sig_logout(h));

        public void MessageInstantSend(string account, string msg, string msgID) => Call("MessageInstantSend", h => RtmNative.rtm_sig_message_instant_send(h, account, msg, msgID));

        public void MessageChannelSend(string channelID, string msg, string msgID) => Call("MessageChannelSend", h => RtmNative.rtm_sig_message_channel_send(h, channelID, msg, msgID));

        public void ChannelJoin(string channelID) => Call("ChannelJoin", h => RtmNative.rtm_sig_channel_join(h, channelID));

        public void ChannelLeave(string channelID) => Call("ChannelLeave", h => RtmNative.rtm_sig_channel_leave(h, channelID));

        public void ChannelSetAttr(string channelID, string name, string value) => Call("ChannelSetAttr", h => RtmNative.rtm_sig_channel_set_attr(h, channelID, name, value));

        public void ChannelDelAttr(string channelID, string name) => Call("ChannelDelAttr", h => RtmNative.rtm_sig_channel_del_attr(h, channelID, name));

        public void ChannelClearAttr(string channelID) => Call("ChannelClearAttr", h => RtmNative.rtm_sig_channel_clear_attr(h, channelID));

        public void ChannelQueryUserNum(string channelID) => Call("ChannelQueryUserNum", h => RtmNative.rtm_sig_channel_query_user_num(h, channelID));

        public void ChannelQueryUserIsIn(string channelID, string account) => Call("ChannelQueryUserIsIn", h => RtmNative.rtm_sig_channel_query_user_is_in(h, channelID, account));

        public void ChannelInviteUser(string channelID, string account) => Call("ChannelInviteUser", h => RtmNative.rtm_sig_channel_invite_user(h, channelID, account));

        public void ChannelInviteUser2(string channelID, string account, string extra) => Call("ChannelInviteUser2", h => RtmNative.rtm_sig_channel_invite_user2(h, channelID, account, extra));

        public void ChannelInviteAccept(string channelID, string account, string extra) => Call("ChannelInviteAccept", h => RtmNative.rtm_sig_channel_invite_accept(h, channelID, account, extra));

        public void ChannelInviteRefuse(string channelID, string account, string extra) => Call("ChannelInviteRefuse", h => RtmNative.rtm_sig_channel_invite_refuse(h, channelID, account, extra));

        public void ChannelInviteEnd(string channelID, string account) => Call("ChannelInviteEnd", h => RtmNative.rtm_sig_channel_invite_end(h, channelID, account));

        public void ChannelInviteDTMF(string channelID, string account, string dtmf) => Call("ChannelInviteDTMF", h => RtmNative.rtm_sig_channel_invite_dtmf(h, channelID, account, dtmf));

        public void QueryUserStatus(string account) => Call("QueryUserStatus", h => RtmNative.rtm_sig_query_user_status(h, account));

        public void SetAttr(string name, string value) => Call("SetAttr", h => RtmNative.rtm_sig_set_attr(h, name, value));

        public void GetAttr(string name) => Call("GetAttr", h => RtmNative.rtm_sig_get_attr(h, name));

        public void GetAttrAll() => Call("GetAttrAll", h => RtmNative.rtm_sig_get_attr_all(h));

        public void GetUserAttr(string account, string name) => Call("GetUserAttr", h => RtmNative.rtm_sig_get_user_attr(h, account, name));

        public void GetUserAttrAll(string account) => Call("GetUserAttrAll", h => RtmNative.rtm_sig_get_user_attr_all(h, account));

        public void Invoke(string name, string reqJson, string callID) => Call("Invoke", h => RtmNative.rtm_sig_invoke(h, name, reqJson, callID));

        private static void Check(int rc, string what)
        {
            if (rc != 0) throw RtmException.Of(rc, null, what);
        }

        private void Call(string what, Func<SWIGTYPE_p_rtm_sig_s, int> f)
        {
            lock (gate)
            {
                if (handle == null) throw RtmException.Closed(what + ": the instance is disposed");
                Check(f(handle), what);
            }
        }

        /// <summary>Logs out if needed and releases the instance; no callback runs after it returns.</summary>
        public void Dispose()
        {
            SWIGTYPE_p_rtm_sig_s h;
            lock (gate)
            {
                if (handle == null) return;
                h = handle;
            }
            Check(RtmNative.rtm_sig_destroy(h), "Dispose");
            lock (gate) handle = null;
            bridge.Dispose();
            bridgeRoot.Free();
        }

        private void Report(Exception e)
        {
            try
            {
                var h = CallbackException;
                if (h != null) h(e);
                else Console.Error.WriteLine("rtmkit: exception in a Signaling callback: " + e);
            }
            catch
            {
                // nothing more to do on the dispatcher
            }
        }

        /// <summary>The director: every ICallBack event, on the dispatcher thread; exceptions are caught.</summary>
        private sealed class Bridge : SignalListener
        {
            private readonly Signal s;

            internal Bridge(Signal signal) { s = signal; }

            private void Run(Action a)
            {
                try
                {
                    a();
                }
                catch (Exception e)
                {
                    s.Report(e);
                }
            }

            public override void onLoginSuccess(long uid, int fd) => Run(() => s.callback.OnLoginSuccess(uid, fd));

            public override void onLoginFailed(int ecode) => Run(() => s.callback.OnLoginFailed(ecode));

            public override void onLogout(int ecode) => Run(() => s.callback.OnLogout(ecode));

            public override void onReconnecting(long nretry) => Run(() => s.callback.OnReconnecting(nretry));

            public override void onReconnected(int fd) => Run(() => s.callback.OnReconnected(fd));

            public override void onChannelJoined(string channelID) => Run(() => s.callback.OnChannelJoined(channelID));

            public override void onChannelJoinFailed(string channelID, int ecode) => Run(() => s.callback.OnChannelJoinFailed(channelID, ecode));

            public override void onChannelLeaved(string channelID, int ecode) => Run(() => s.callback.OnChannelLeaved(channelID, ecode));

            public override void onChannelUserJoined(string account, long uid) => Run(() => s.callback.OnChannelUserJoined(account, uid));

            public override void onChannelUserLeaved(string account, long uid) => Run(() => s.callback.OnChannelUserLeaved(account, uid));

            public override void onChannelUserList(StringList accounts, UidList uids)
            {
                var a = new string[accounts.size()];
                var u = new long[accounts.size()];
                for (uint i = 0; i < accounts.size(); i++)
                {
                    a[i] = accounts.get(i);
                    u[i] = uids.get(i);
                }
                Run(() => s.callback.OnChannelUserList(a, u));
            }

            public override void onChannelAttrUpdated(string channelID, string name, string value, string type) => Run(() => s.callback.OnChannelAttrUpdated(channelID, name, value, type));

            public override void onChannelQueryUserNumResult(string channelID, int ecode, int num) => Run(() => s.callback.OnChannelQueryUserNumResult(channelID, ecode, num));

            public override void onChannelQueryUserIsIn(string channelID, string account, int isIn) => Run(() => s.callback.OnChannelQueryUserIsIn(channelID, account, isIn));

            public override void onMessageInstantReceive(string account, long uid, string msg) => Run(() => s.callback.OnMessageInstantReceive(account, uid, msg));

            public override void onMessageChannelReceive(string channelID, string account, long uid, string msg) => Run(() => s.callback.OnMessageChannelReceive(channelID, account, uid, msg));

            public override void onMessageSendSuccess(string messageID) => Run(() => s.callback.OnMessageSendSuccess(messageID));

            public override void onMessageSendError(string messageID, int ecode) => Run(() => s.callback.OnMessageSendError(messageID, ecode));

            public override void onInviteReceived(string channelID, string account, long uid, string extra) => Run(() => s.callback.OnInviteReceived(channelID, account, uid, extra));

            public override void onInviteReceivedByPeer(string channelID, string account, long uid) => Run(() => s.callback.OnInviteReceivedByPeer(channelID, account, uid));

            public override void onInviteAcceptedByPeer(string channelID, string account, long uid, string extra) => Run(() => s.callback.OnInviteAcceptedByPeer(channelID, account, uid, extra));

            public override void onInviteRefusedByPeer(string channelID, string account, long uid, string extra) => Run(() => s.callback.OnInviteRefusedByPeer(channelID, account, uid, extra));

            public override void onInviteFailed(string channelID, string account, long uid, int ecode, string extra) => Run(() => s.callback.OnInviteFailed(channelID, account, uid, ecode, extra));

            public override void onInviteEndByPeer(string channelID, string account, long uid, string extra) => Run(() => s.callback.OnInviteEndByPeer(channelID, account, uid, extra));

            public override void onInviteEndByMyself(string channelID, string account, long uid) => Run(() => s.callback.OnInviteEndByMyself(channelID, account, uid));

            public override void onInviteMsg(string channelID, string account, long uid, string msgType, string msgData, string extra) => Run(() => s.callback.OnInviteMsg(channelID, account, uid, msgType, msgData, extra));

            public override void onInvokeRet(string callID, int err, string resp) => Run(() => s.callback.OnInvokeRet(callID, err, resp));

            public override void onQueryUserStatusResult(string account, string status) => Run(() => s.callback.OnQueryUserStatusResult(account, status));

            public override void onUserAttrResult(string account, string name, string value) => Run(() => s.callback.OnUserAttrResult(account, name, value));

            public override void onUserAttrAllResult(string account, string value) => Run(() => s.callback.OnUserAttrAllResult(account, value));

            public override void onError(string name, int ecode, string desc) => Run(() => s.callback.OnError(name, ecode, desc));
        }
    }
}
