package io.rtmkit.signaling;

import io.rtmkit.RtmConfig;
import io.rtmkit.RtmException;
import io.rtmkit.internal.RtmNative;
import io.rtmkit.internal.SWIGTYPE_p_rtm_conf_s;
import io.rtmkit.internal.SWIGTYPE_p_rtm_sig_s;
import io.rtmkit.internal.SignalListener;
import io.rtmkit.internal.StringList;
import io.rtmkit.internal.Text;
import io.rtmkit.internal.UidList;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Signaling compatibility API (the legacy IAgoraAPI, docs/migrating-from-signaling.md) over the
 * C ABI's rtm_sig_*: one instance of one app id, talking rtm.v1 to rtmd, so that it exchanges
 * messages, channels and invitations with RTM users of the same app. As in Signaling, outcomes
 * arrive through the {@link SignalCallback}; a method throws {@link RtmException} only for a
 * programming error that produces no callback (a null argument, a closed instance).
 *
 * <p>Method names follow IAgoraAPI (messageInstantSend, channelJoin, channelInviteUser2, invoke …);
 * legacy uid arguments are dropped (always 0). Close the instance when done (it logs out); close from
 * a callback of the instance throws RtmException(INVALID_STATE).
 */
public final class Signal implements AutoCloseable {
  private final Object lock = new Object();
  private SWIGTYPE_p_rtm_sig_s handle;
  private final Bridge bridge;
  private final SignalCallback callback;
  private final Consumer<Throwable> errorHandler;

  /** An instance for {@code config}'s app id (and url and other client keys). */
  public Signal(RtmConfig config, SignalCallback callback) {
    this.callback = callback != null ? callback : new SignalCallback() {};
    Consumer<Throwable> h = config.getCallbackErrorHandler();
    this.errorHandler = h != null ? h : t -> {
      System.err.println("rtmkit: exception in a Signaling callback:");
      t.printStackTrace();
    };
    int[] rc = new int[1];
    SWIGTYPE_p_rtm_conf_s conf = RtmNative.conf_new(rc);
    check(rc[0], "rtm_conf_new");
    bridge = new Bridge();
    bridge.swigReleaseOwnership(); // the native side holds the bridge until close()
    try {
      for (Map.Entry<String, String> e : config.entries().entrySet()) check(RtmNative.conf_set(conf, e.getKey(), e.getValue()), "key " + e.getKey());
      check(RtmNative.attach_signal_listener(conf, bridge), "attach_signal_listener");
      handle = RtmNative.sig_new(conf, rc);
      check(rc[0], "rtm_sig_new");
    } catch (RuntimeException e) {
      RtmNative.rtm_conf_destroy(conf);
      bridge.swigTakeOwnership();
      bridge.delete();
      throw e;
    }
  }

  /** The name of an AGORA_E_CODE number, e.g. "LOGIN_E_TOKENWRONG". */
  public static String ecodeName(int ecode) {
    return RtmNative.rtm_sig_ecode_name(ecode);
  }

  /** A legacy Signaling token: "1:appId:expiredTs:md5(account + appId + certificate + expiredTs)". */
  public static String buildToken(String appId, String appCertificate, String account, long expiredTs) {
    Text t = RtmNative.token_build_signaling(appId, appCertificate, account, expiredTs);
    try {
      check(t.code(), "buildToken");
      return t.value();
    } finally {
      t.delete();
    }
  }

  private static void check(int rc, String what) {
    if (rc != 0) {
      String last = RtmNative.rtm_last_error();
      throw new RtmException(rc, null, what + ": " + RtmNative.rtm_err2name(rc) + " (" + rc + ")" + (last.isEmpty() ? "" : ": " + last));
    }
  }

  private interface Call {
    int run(SWIGTYPE_p_rtm_sig_s h);
  }

  private void call(String what, Call c) {
    synchronized (lock) {
      if (handle == null) throw new RtmException(-4, null, what + ": the instance is closed");
      check(c.run(handle), what);
    }
  }

  public void login(String account, String token) {
    call("login", h -> RtmNative.rtm_sig_login(h, account, token));
  }

  public void login2(String account, String token, int retryTimeS, int retryCount) {
    call("login2", h -> RtmNative.rtm_sig_login2(h, account, token, retryTimeS, retryCount));
  }

  public void logout() {
    call("logout", RtmNative::rtm_sig_logout);
  }

  /** 0 not logged in, 1 logging in, 2 logged in, 3 reconnecting. */
  public int getStatus() {
    synchronized (lock) {
      return handle == null ? 0 : RtmNative.rtm_sig_get_status(handle);
    }
  }

  public String getAccount() {
    synchronized (lock) {
      return handle == null ? "" : RtmNative.rtm_sig_account(handle);
    }
  }

  public void messageInstantSend(String account, String msg, String msgID) {
    call("messageInstantSend", h -> RtmNative.rtm_sig_message_instant_send(h, account, msg, msgID));
  }

  public void messageChannelSend(String channelID, String msg, String msgID) {
    call("messageChannelSend", h -> RtmNative.rtm_sig_message_channel_send(h, channelID, msg, msgID));
  }

  public void channelJoin(String channelID) {
    call("channelJoin", h -> RtmNative.rtm_sig_channel_join(h, channelID));
  }

  public void channelLeave(String channelID) {
    call("channelLeave", h -> RtmNative.rtm_sig_channel_leave(h, channelID));
  }

  public void channelSetAttr(String channelID, String name, String value) {
    call("channelSetAttr", h -> RtmNative.rtm_sig_channel_set_attr(h, channelID, name, value));
  }

  public void channelDelAttr(String channelID, String name) {
    call("channelDelAttr", h -> RtmNative.rtm_sig_channel_del_attr(h, channelID, name));
  }

  public void channelClearAttr(String channelID) {
    call("channelClearAttr", h -> RtmNative.rtm_sig_channel_clear_attr(h, channelID));
  }

  public void channelQueryUserNum(String channelID) {
    call("channelQueryUserNum", h -> RtmNative.rtm_sig_channel_query_user_num(h, channelID));
  }

  public void channelQueryUserIsIn(String channelID, String account) {
    call("channelQueryUserIsIn", h -> RtmNative.rtm_sig_channel_query_user_is_in(h, channelID, account));
  }

  public void channelInviteUser(String channelID, String account) {
    call("channelInviteUser", h -> RtmNative.rtm_sig_channel_invite_user(h, channelID, account));
  }

  /** {@code extra}: "" or a JSON object ("_require_peer_online", "_timeout", and keys for the callee). */
  public void channelInviteUser2(String channelID, String account, String extra) {
    call("channelInviteUser2", h -> RtmNative.rtm_sig_channel_invite_user2(h, channelID, account, extra));
  }

  public void channelInviteAccept(String channelID, String account, String extra) {
    call("channelInviteAccept", h -> RtmNative.rtm_sig_channel_invite_accept(h, channelID, account, extra));
  }

  public void channelInviteRefuse(String channelID, String account, String extra) {
    call("channelInviteRefuse", h -> RtmNative.rtm_sig_channel_invite_refuse(h, channelID, account, extra));
  }

  public void channelInviteEnd(String channelID, String account) {
    call("channelInviteEnd", h -> RtmNative.rtm_sig_channel_invite_end(h, channelID, account));
  }

  public void channelInviteDTMF(String channelID, String account, String dtmf) {
    call("channelInviteDTMF", h -> RtmNative.rtm_sig_channel_invite_dtmf(h, channelID, account, dtmf));
  }

  public void queryUserStatus(String account) {
    call("queryUserStatus", h -> RtmNative.rtm_sig_query_user_status(h, account));
  }

  public void setAttr(String name, String value) {
    call("setAttr", h -> RtmNative.rtm_sig_set_attr(h, name, value));
  }

  public void getAttr(String name) {
    call("getAttr", h -> RtmNative.rtm_sig_get_attr(h, name));
  }

  public void getAttrAll() {
    call("getAttrAll", RtmNative::rtm_sig_get_attr_all);
  }

  public void getUserAttr(String account, String name) {
    call("getUserAttr", h -> RtmNative.rtm_sig_get_user_attr(h, account, name));
  }

  public void getUserAttrAll(String account) {
    call("getUserAttrAll", h -> RtmNative.rtm_sig_get_user_attr_all(h, account));
  }

  /** invoke("io.agora.signal.&lt;command&gt;", reqJson, callID): answered by onInvokeRet. */
  public void invoke(String name, String reqJson, String callID) {
    call("invoke", h -> RtmNative.rtm_sig_invoke(h, name, reqJson, callID));
  }

  /** Logs out if needed and releases the instance; no callback runs after it returns. */
  @Override
  public void close() {
    SWIGTYPE_p_rtm_sig_s h;
    synchronized (lock) {
      if (handle == null) return;
      h = handle;
    }
    int rc = RtmNative.rtm_sig_destroy(h);
    check(rc, "close");
    synchronized (lock) {
      handle = null;
    }
    bridge.swigTakeOwnership();
    bridge.delete();
  }

  /** The director: every ICallBack event, on the dispatcher thread; user exceptions are caught. */
  private final class Bridge extends SignalListener {
    private void run(Runnable r) {
      try {
        r.run();
      } catch (Throwable t) {
        try {
          errorHandler.accept(t);
        } catch (Throwable ignored) {
          // nothing more to do on the dispatcher
        }
      }
    }

    @Override
    public void onLoginSuccess(long uid, int fd) {
      run(() -> callback.onLoginSuccess(uid, fd));
    }

    @Override
    public void onLoginFailed(int ecode) {
      run(() -> callback.onLoginFailed(ecode));
    }

    @Override
    public void onLogout(int ecode) {
      run(() -> callback.onLogout(ecode));
    }

    @Override
    public void onReconnecting(long nretry) {
      run(() -> callback.onReconnecting(nretry));
    }

    @Override
    public void onReconnected(int fd) {
      run(() -> callback.onReconnected(fd));
    }

    @Override
    public void onChannelJoined(String channel) {
      run(() -> callback.onChannelJoined(channel));
    }

    @Override
    public void onChannelJoinFailed(String channel, int ecode) {
      run(() -> callback.onChannelJoinFailed(channel, ecode));
    }

    @Override
    public void onChannelLeaved(String channel, int ecode) {
      run(() -> callback.onChannelLeaved(channel, ecode));
    }

    @Override
    public void onChannelUserJoined(String account, long uid) {
      run(() -> callback.onChannelUserJoined(account, uid));
    }

    @Override
    public void onChannelUserLeaved(String account, long uid) {
      run(() -> callback.onChannelUserLeaved(account, uid));
    }

    @Override
    public void onChannelUserList(StringList accounts, UidList uids) {
      int n = (int) accounts.size();
      String[] a = new String[n];
      long[] u = new long[n];
      for (int i = 0; i < n; i++) {
        a[i] = accounts.get(i);
        u[i] = uids.get(i);
      }
      run(() -> callback.onChannelUserList(a, u));
    }

    @Override
    public void onChannelAttrUpdated(String channel, String name, String value, String type) {
      run(() -> callback.onChannelAttrUpdated(channel, name, value, type));
    }

    @Override
    public void onChannelQueryUserNumResult(String channel, int ecode, int num) {
      run(() -> callback.onChannelQueryUserNumResult(channel, ecode, num));
    }

    @Override
    public void onChannelQueryUserIsIn(String channel, String account, int isIn) {
      run(() -> callback.onChannelQueryUserIsIn(channel, account, isIn));
    }

    @Override
    public void onMessageInstantReceive(String account, long uid, String msg) {
      run(() -> callback.onMessageInstantReceive(account, uid, msg));
    }

    @Override
    public void onMessageChannelReceive(String channel, String account, long uid, String msg) {
      run(() -> callback.onMessageChannelReceive(channel, account, uid, msg));
    }

    @Override
    public void onMessageSendSuccess(String messageId) {
      run(() -> callback.onMessageSendSuccess(messageId));
    }

    @Override
    public void onMessageSendError(String messageId, int ecode) {
      run(() -> callback.onMessageSendError(messageId, ecode));
    }

    @Override
    public void onInviteReceived(String channel, String account, long uid, String extra) {
      run(() -> callback.onInviteReceived(channel, account, uid, extra));
    }

    @Override
    public void onInviteReceivedByPeer(String channel, String account, long uid) {
      run(() -> callback.onInviteReceivedByPeer(channel, account, uid));
    }

    @Override
    public void onInviteAcceptedByPeer(String channel, String account, long uid, String extra) {
      run(() -> callback.onInviteAcceptedByPeer(channel, account, uid, extra));
    }

    @Override
    public void onInviteRefusedByPeer(String channel, String account, long uid, String extra) {
      run(() -> callback.onInviteRefusedByPeer(channel, account, uid, extra));
    }

    @Override
    public void onInviteFailed(String channel, String account, long uid, int ecode, String extra) {
      run(() -> callback.onInviteFailed(channel, account, uid, ecode, extra));
    }

    @Override
    public void onInviteEndByPeer(String channel, String account, long uid, String extra) {
      run(() -> callback.onInviteEndByPeer(channel, account, uid, extra));
    }

    @Override
    public void onInviteEndByMyself(String channel, String account, long uid) {
      run(() -> callback.onInviteEndByMyself(channel, account, uid));
    }

    @Override
    public void onInviteMsg(String channel, String account, long uid, String msgType, String msgData, String extra) {
      run(() -> callback.onInviteMsg(channel, account, uid, msgType, msgData, extra));
    }

    @Override
    public void onInvokeRet(String callId, int err, String resp) {
      run(() -> callback.onInvokeRet(callId, err, resp));
    }

    @Override
    public void onQueryUserStatusResult(String account, String status) {
      run(() -> callback.onQueryUserStatusResult(account, status));
    }

    @Override
    public void onUserAttrResult(String account, String name, String value) {
      run(() -> callback.onUserAttrResult(account, name, value));
    }

    @Override
    public void onUserAttrAllResult(String account, String valueJson) {
      run(() -> callback.onUserAttrAllResult(account, valueJson));
    }

    @Override
    public void onError(String name, int ecode, String desc) {
      run(() -> callback.onError(name, ecode, desc));
    }
  }
}
