package io.rtmkit;

import io.rtmkit.internal.AttributeArray;
import io.rtmkit.internal.AttributeList;
import io.rtmkit.internal.ChannelAttributeList;
import io.rtmkit.internal.ClientListener;
import io.rtmkit.internal.IntList;
import io.rtmkit.internal.RtmNative;
import io.rtmkit.internal.SWIGTYPE_p_rtm_channel_s;
import io.rtmkit.internal.SWIGTYPE_p_rtm_client_s;
import io.rtmkit.internal.SWIGTYPE_p_rtm_conf_s;
import io.rtmkit.internal.SWIGTYPE_p_rtm_local_invitation_s;
import io.rtmkit.internal.SWIGTYPE_p_rtm_message_s;
import io.rtmkit.internal.SWIGTYPE_p_rtm_remote_invitation_s;
import io.rtmkit.internal.StateList;
import io.rtmkit.internal.StringArray;
import io.rtmkit.internal.StringList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * An RTM client (RTM's RtmClient) over the C API.
 *
 * <p>Every operation returns a {@link CompletableFuture}: it completes when the result event
 * arrives, or fails with an {@link RtmException} carrying the RTM code of the operation — at once
 * when the library refused the call, later when the result event reports a failure. Listeners and
 * futures are completed on the client's dispatcher thread ("rtm-dispatch"): do not block there.
 * {@link #close()} stops the client; it may not be called from a listener of this client.
 */
public final class RtmClient implements AutoCloseable {
  final Object lock = new Object();
  volatile boolean closing;

  private SWIGTYPE_p_rtm_client_s handle;
  private final Bridge bridge;
  private final RtmClientListener listener;
  private volatile RtmCallEventListener callListener;
  private final Consumer<Throwable> errorHandler;
  private long nextChannelKey = 1;

  // pending operations, guarded by lock
  private CompletableFuture<Void> login;
  private CompletableFuture<Void> logout;
  private final ArrayDeque<Object[]> renews = new ArrayDeque<>();
  private final Map<Long, CompletableFuture<PeerMessageErrorCode>> peerSends = new HashMap<>();
  private final Map<Long, Object[]> channelSends = new HashMap<>(); // id -> {channel, future}
  private final Map<Long, CompletableFuture<Object>> requests = new HashMap<>();
  final Map<Long, RtmChannel> channels = new HashMap<>();
  private final Map<Long, LocalInvitation> localInvitations = new HashMap<>();
  private final Map<Long, RemoteInvitation> remoteInvitations = new HashMap<>();

  /** Creates a client (not logged in). {@code listener} may be null. */
  public RtmClient(RtmConfig config, RtmClientListener listener) {
    this.listener = listener != null ? listener : new RtmClientListener() {};
    this.errorHandler = config.callbackErrorHandler != null ? config.callbackErrorHandler : RtmClient::printError;
    int[] rc = new int[1];
    SWIGTYPE_p_rtm_conf_s conf = RtmNative.conf_new(rc);
    RtmException.check(rc[0], null, "rtm_conf_new");
    bridge = new Bridge();
    // the native side holds a strong reference to the bridge (and so to this client and its
    // listeners) from now until close() has destroyed the native client
    bridge.swigReleaseOwnership();
    try {
      for (Map.Entry<String, String> e : config.values.entrySet())
        RtmException.check(RtmNative.conf_set(conf, e.getKey(), e.getValue()), null, "client key " + e.getKey());
      RtmException.check(RtmNative.attach_listener(conf, bridge), null, "attach_listener");
      handle = RtmNative.client_new(conf, rc);
      RtmException.check(rc[0], null, "rtm_client_new");
    } catch (RuntimeException e) {
      RtmNative.rtm_conf_destroy(conf); // the client did not take it
      bridge.swigTakeOwnership();
      bridge.delete();
      throw e;
    }
  }

  /** Sets the listener of call invitation events (RTM's getRtmCallManager().setEventListener). */
  public void setCallEventListener(RtmCallEventListener listener) {
    this.callListener = listener;
  }

  // ---- login -----------------------------------------------------------------------------------

  /** Logs in ({@code token} null or "" when the app has no certificate). Fails with the LoginErrorCode. */
  public CompletableFuture<Void> login(String token, String userId) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (lock) {
      if (!live(f)) return f;
      int rc = RtmNative.rtm_client_login(handle, token, userId);
      if (rc != 0) return failed(f, rc, Operation.LOGIN, "login");
      if (login != null) login.completeExceptionally(new RtmException(LoginErrorCode.UNKNOWN.value(), Operation.LOGIN, "superseded"));
      login = f;
    }
    return f;
  }

  /** Logs out. Fails with the LogoutErrorCode. */
  public CompletableFuture<Void> logout() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (lock) {
      if (!live(f)) return f;
      int rc = RtmNative.rtm_client_logout(handle);
      if (rc != 0) return failed(f, rc, Operation.LOGOUT, "logout");
      logout = f;
    }
    return f;
  }

  /** Replaces the token (also after onTokenExpired). Fails with the RenewTokenErrorCode. */
  public CompletableFuture<Void> renewToken(String token) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (lock) {
      if (!live(f)) return f;
      int rc = RtmNative.rtm_client_renew_token(handle, token);
      if (rc != 0) return failed(f, rc, Operation.RENEW_TOKEN, "renewToken");
      renews.add(new Object[] {token == null ? "" : token, f});
    }
    return f;
  }

  public ConnectionState getConnectionState() {
    synchronized (lock) {
      return handle == null || closing ? ConnectionState.DISCONNECTED : ConnectionState.of(RtmNative.rtm_client_state(handle));
    }
  }

  /** The user id of the last login ("" before). */
  public String getUserId() {
    synchronized (lock) {
      if (handle == null || closing) return "";
      return RtmKit.text(RtmNative.client_user_id(handle), "getUserId");
    }
  }

  // ---- peer messages ---------------------------------------------------------------------------

  /** Sends a peer message. Completes with OK or CACHED_BY_SERVER; fails with the other PeerMessageErrorCodes. */
  public CompletableFuture<PeerMessageErrorCode> sendMessageToPeer(String peerId, RtmMessage message) {
    return sendMessageToPeer(peerId, message, null);
  }

  public CompletableFuture<PeerMessageErrorCode> sendMessageToPeer(String peerId, RtmMessage message, SendMessageOptions options) {
    CompletableFuture<PeerMessageErrorCode> f = new CompletableFuture<>();
    if (message == null) throw new NullPointerException("message");
    synchronized (lock) {
      if (!live(f)) return f;
      SWIGTYPE_p_rtm_message_s m = message.toNative(Operation.SEND_PEER_MESSAGE, "sendMessageToPeer");
      long[] id = new long[1];
      int rc;
      try {
        rc = RtmNative.send_message_to_peer(id, handle, peerId, m, options != null && options.enableOfflineMessaging ? 1 : 0,
            options != null && options.enableHistoricalMessaging ? 1 : 0);
      } finally {
        RtmNative.rtm_message_destroy(m);
      }
      if (rc != 0) return failed(f, rc, Operation.SEND_PEER_MESSAGE, "sendMessageToPeer");
      peerSends.put(id[0], f);
    }
    return f;
  }

  CompletableFuture<Void> sendChannelMessage(RtmChannel ch, RtmMessage message, SendMessageOptions options, CompletableFuture<Void> f) {
    if (message == null) throw new NullPointerException("message");
    SWIGTYPE_p_rtm_message_s m = message.toNative(Operation.SEND_CHANNEL_MESSAGE, "sendMessage");
    long[] id = new long[1];
    int rc;
    try {
      rc = RtmNative.channel_send_message(id, ch.handle, m, options != null && options.enableOfflineMessaging ? 1 : 0,
          options != null && options.enableHistoricalMessaging ? 1 : 0);
    } finally {
      RtmNative.rtm_message_destroy(m);
    }
    if (rc != 0) return failed(f, rc, Operation.SEND_CHANNEL_MESSAGE, "sendMessage");
    channelSends.put(id[0], new Object[] {ch, f});
    return f;
  }

  void failChannelSends(RtmChannel ch, RtmException e) {
    for (Iterator<Object[]> it = channelSends.values().iterator(); it.hasNext(); ) {
      Object[] p = it.next();
      if (p[0] == ch) {
        it.remove();
        ((CompletableFuture<?>) p[1]).completeExceptionally(e);
      }
    }
  }

  // ---- channels ----------------------------------------------------------------------------------

  /** Creates the channel {@code channelId} (not joined yet); its events go to {@code listener} (may be null). */
  public RtmChannel createChannel(String channelId, RtmChannelListener listener) {
    synchronized (lock) {
      if (handle == null || closing) throw new RtmException(LocalErrorCode.INVALID_STATE.value(), null, "the client is closed");
      long key = nextChannelKey++;
      int[] rc = new int[1];
      SWIGTYPE_p_rtm_channel_s h = RtmNative.channel_create(handle, channelId, key, rc);
      RtmException.check(rc[0], Operation.JOIN_CHANNEL, "createChannel");
      RtmChannel ch = new RtmChannel(this, key, channelId, listener != null ? listener : new RtmChannelListener() {}, h);
      channels.put(key, ch);
      return ch;
    }
  }

  // ---- presence ----------------------------------------------------------------------------------

  /** The online state of each peer. Fails with the QueryPeersOnlineStatusErrorCode. */
  public CompletableFuture<Map<String, PeerOnlineState>> queryPeersOnlineStatus(Collection<String> peerIds) {
    return request(Operation.QUERY_PEERS_ONLINE_STATUS, "queryPeersOnlineStatus", id -> {
      StringArray a = strings(peerIds);
      try {
        return RtmNative.query_peers_online_status(id, handle, a);
      } finally {
        a.delete();
      }
    });
  }

  /** Subscribes to the online state of peers (changes go to onPeersOnlineStatusChanged). */
  public CompletableFuture<Void> subscribePeersOnlineStatus(Collection<String> peerIds) {
    return request(Operation.PEER_SUBSCRIPTION, "subscribePeersOnlineStatus", id -> {
      StringArray a = strings(peerIds);
      try {
        return RtmNative.subscribe_peers_online_status(id, handle, a);
      } finally {
        a.delete();
      }
    });
  }

  public CompletableFuture<Void> unsubscribePeersOnlineStatus(Collection<String> peerIds) {
    return request(Operation.PEER_SUBSCRIPTION, "unsubscribePeersOnlineStatus", id -> {
      StringArray a = strings(peerIds);
      try {
        return RtmNative.unsubscribe_peers_online_status(id, handle, a);
      } finally {
        a.delete();
      }
    });
  }

  /** The peers subscribed with {@code option}. */
  public CompletableFuture<Set<String>> queryPeersBySubscriptionOption(PeerSubscriptionOption option) {
    return request(Operation.QUERY_PEERS_BY_SUBSCRIPTION_OPTION, "queryPeersBySubscriptionOption",
        id -> RtmNative.rtm_client_query_peers_by_subscription_option(id, handle, option.value()));
  }

  // ---- user attributes ---------------------------------------------------------------------------

  public CompletableFuture<Void> setLocalUserAttributes(List<RtmAttribute> attributes) {
    return attributeRequest("setLocalUserAttributes", attributes, (id, a) -> RtmNative.set_local_user_attributes(id, handle, a));
  }

  public CompletableFuture<Void> addOrUpdateLocalUserAttributes(List<RtmAttribute> attributes) {
    return attributeRequest("addOrUpdateLocalUserAttributes", attributes,
        (id, a) -> RtmNative.add_or_update_local_user_attributes(id, handle, a));
  }

  public CompletableFuture<Void> deleteLocalUserAttributesByKeys(List<String> keys) {
    return request(Operation.ATTRIBUTE_OPERATION, "deleteLocalUserAttributesByKeys", id -> {
      StringArray a = strings(keys);
      try {
        return RtmNative.delete_local_user_attributes_by_keys(id, handle, a);
      } finally {
        a.delete();
      }
    });
  }

  public CompletableFuture<Void> clearLocalUserAttributes() {
    return request(Operation.ATTRIBUTE_OPERATION, "clearLocalUserAttributes",
        id -> RtmNative.rtm_client_clear_local_user_attributes(id, handle));
  }

  public CompletableFuture<List<RtmAttribute>> getUserAttributes(String userId) {
    return request(Operation.ATTRIBUTE_OPERATION, "getUserAttributes", id -> RtmNative.rtm_client_get_user_attributes(id, handle, userId));
  }

  public CompletableFuture<List<RtmAttribute>> getUserAttributesByKeys(String userId, List<String> keys) {
    return request(Operation.ATTRIBUTE_OPERATION, "getUserAttributesByKeys", id -> {
      StringArray a = strings(keys);
      try {
        return RtmNative.get_user_attributes_by_keys(id, handle, userId, a);
      } finally {
        a.delete();
      }
    });
  }

  // ---- channel attributes and member counts ------------------------------------------------------

  public CompletableFuture<Void> setChannelAttributes(String channelId, List<RtmAttribute> attributes, ChannelAttributeOptions options) {
    return attributeRequest("setChannelAttributes", attributes,
        (id, a) -> RtmNative.set_channel_attributes(id, handle, channelId, a, notify(options)));
  }

  public CompletableFuture<Void> addOrUpdateChannelAttributes(String channelId, List<RtmAttribute> attributes,
                                                              ChannelAttributeOptions options) {
    return attributeRequest("addOrUpdateChannelAttributes", attributes,
        (id, a) -> RtmNative.add_or_update_channel_attributes(id, handle, channelId, a, notify(options)));
  }

  public CompletableFuture<Void> deleteChannelAttributesByKeys(String channelId, List<String> keys, ChannelAttributeOptions options) {
    return request(Operation.ATTRIBUTE_OPERATION, "deleteChannelAttributesByKeys", id -> {
      StringArray a = strings(keys);
      try {
        return RtmNative.delete_channel_attributes_by_keys(id, handle, channelId, a, notify(options));
      } finally {
        a.delete();
      }
    });
  }

  public CompletableFuture<Void> clearChannelAttributes(String channelId, ChannelAttributeOptions options) {
    return request(Operation.ATTRIBUTE_OPERATION, "clearChannelAttributes",
        id -> RtmNative.clear_channel_attributes(id, handle, channelId, notify(options)));
  }

  public CompletableFuture<List<RtmChannelAttribute>> getChannelAttributes(String channelId) {
    return request(Operation.ATTRIBUTE_OPERATION, "getChannelAttributes",
        id -> RtmNative.rtm_client_get_channel_attributes(id, handle, channelId));
  }

  public CompletableFuture<List<RtmChannelAttribute>> getChannelAttributesByKeys(String channelId, List<String> keys) {
    return request(Operation.ATTRIBUTE_OPERATION, "getChannelAttributesByKeys", id -> {
      StringArray a = strings(keys);
      try {
        return RtmNative.get_channel_attributes_by_keys(id, handle, channelId, a);
      } finally {
        a.delete();
      }
    });
  }

  /** The member count of each channel. Fails with the GetChannelMemberCountErrorCode. */
  public CompletableFuture<Map<String, Integer>> getChannelMemberCount(Collection<String> channelIds) {
    return request(Operation.GET_CHANNEL_MEMBER_COUNT, "getChannelMemberCount", id -> {
      StringArray a = strings(channelIds);
      try {
        return RtmNative.get_channel_member_count(id, handle, a);
      } finally {
        a.delete();
      }
    });
  }

  // ---- call invitations ----------------------------------------------------------------------------

  /** A new invitation to {@code calleeId} (state IDLE). */
  public LocalInvitation createLocalInvitation(String calleeId) {
    synchronized (lock) {
      if (handle == null || closing) throw new RtmException(LocalErrorCode.INVALID_STATE.value(), null, "the client is closed");
      int[] rc = new int[1];
      SWIGTYPE_p_rtm_local_invitation_s h = RtmNative.local_invitation_create(handle, calleeId, rc);
      RtmException.check(rc[0], Operation.INVITATION_API_CALL, "createLocalInvitation");
      return new LocalInvitation(h);
    }
  }

  /** Sends the invitation; its progress arrives through the RtmCallEventListener. */
  public CompletableFuture<Void> sendLocalInvitation(LocalInvitation invitation) {
    return invitationCall(invitation, "sendLocalInvitation", () -> {
      int rc = RtmNative.rtm_client_send_local_invitation(handle, invitation.handle());
      if (rc == 0) localInvitations.put(invitation.getId(), invitation);
      return rc;
    });
  }

  public CompletableFuture<Void> cancelLocalInvitation(LocalInvitation invitation) {
    return invitationCall(invitation, "cancelLocalInvitation", () -> RtmNative.rtm_client_cancel_local_invitation(handle, invitation.handle()));
  }

  public CompletableFuture<Void> acceptRemoteInvitation(RemoteInvitation invitation) {
    return invitationCall(invitation, "acceptRemoteInvitation", () -> RtmNative.rtm_client_accept_remote_invitation(handle, invitation.handle()));
  }

  public CompletableFuture<Void> refuseRemoteInvitation(RemoteInvitation invitation) {
    return invitationCall(invitation, "refuseRemoteInvitation", () -> RtmNative.rtm_client_refuse_remote_invitation(handle, invitation.handle()));
  }

  private interface IntCall {
    int call();
  }

  private CompletableFuture<Void> invitationCall(Object invitation, String what, IntCall call) {
    if (invitation == null) throw new NullPointerException("invitation");
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (lock) {
      if (!live(f)) return f;
      int rc = call.call();
      if (rc != 0) return failed(f, rc, Operation.INVITATION_API_CALL, what);
    }
    f.complete(null);
    return f;
  }

  // ---- close -------------------------------------------------------------------------------------

  /**
   * Stops the client: waits for a callback in flight, releases the channels, fails the pending
   * operations. Refused (RtmException with INVALID_STATE) from a callback of this client.
   */
  @Override
  public void close() {
    SWIGTYPE_p_rtm_client_s h;
    synchronized (lock) {
      if (handle == null || closing) return;
      closing = true;
      h = handle;
    }
    int rc = RtmNative.rtm_client_destroy(h);
    if (rc != 0) {
      synchronized (lock) {
        closing = false;
      }
      throw RtmException.of(rc, null, "close");
    }
    synchronized (lock) {
      handle = null;
      RtmException e = new RtmException(LocalErrorCode.INVALID_STATE.value(), null, "the client was closed");
      for (RtmChannel ch : new ArrayList<>(channels.values())) {
        ch.handle = null;
        ch.failPending("the client was closed");
      }
      channels.clear();
      if (login != null) login.completeExceptionally(e);
      if (logout != null) logout.completeExceptionally(e);
      for (Object[] r : renews) ((CompletableFuture<?>) r[1]).completeExceptionally(e);
      for (CompletableFuture<?> f : peerSends.values()) f.completeExceptionally(e);
      for (CompletableFuture<?> f : requests.values()) f.completeExceptionally(e);
      login = logout = null;
      renews.clear();
      peerSends.clear();
      requests.clear();
      localInvitations.clear();
      remoteInvitations.clear();
    }
    // no callback runs any more: the bridge can go
    bridge.swigTakeOwnership();
    bridge.delete();
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private boolean live(CompletableFuture<?> f) {
    if (handle == null || closing) {
      f.completeExceptionally(new RtmException(LocalErrorCode.INVALID_STATE.value(), null, "the client is closed"));
      return false;
    }
    return true;
  }

  static <T> CompletableFuture<T> failed(CompletableFuture<T> f, int rc, Operation op, String what) {
    f.completeExceptionally(RtmException.of(rc, op, what));
    return f;
  }

  private interface RequestCall {
    int call(long[] id);
  }

  private interface AttributeCall {
    int call(long[] id, AttributeArray a);
  }

  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> request(Operation op, String what, RequestCall call) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    synchronized (lock) {
      if (!live(f)) return (CompletableFuture<T>) (CompletableFuture<?>) f;
      long[] id = new long[1];
      int rc = call.call(id);
      if (rc != 0) return (CompletableFuture<T>) (CompletableFuture<?>) failed(f, rc, op, what);
      requests.put(id[0], f);
    }
    return (CompletableFuture<T>) (CompletableFuture<?>) f;
  }

  private CompletableFuture<Void> attributeRequest(String what, List<RtmAttribute> attributes, AttributeCall call) {
    return request(Operation.ATTRIBUTE_OPERATION, what, id -> {
      AttributeArray a = new AttributeArray();
      try {
        for (RtmAttribute at : attributes) a.add(at.getKey(), at.getValue());
        return call.call(id, a);
      } finally {
        a.delete();
      }
    });
  }

  private static StringArray strings(Collection<String> items) {
    StringArray a = new StringArray();
    for (String s : items) a.add(s);
    return a;
  }

  private static int notify(ChannelAttributeOptions o) {
    return o != null && o.enableNotificationToChannelMembers ? 1 : 0;
  }

  private static void printError(Throwable t) {
    System.err.println("rtmkit: exception in a callback:");
    t.printStackTrace();
  }

  private void report(Throwable t) {
    try {
      errorHandler.accept(t);
    } catch (Throwable ignored) {
      // the handler itself failed: nothing more to do on the dispatcher
    }
  }

  private CompletableFuture<Object> takeRequest(long id) {
    synchronized (lock) {
      return requests.remove(id);
    }
  }

  private static List<String> list(StringList l) {
    int n = (int) l.size();
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(l.get(i));
    return out;
  }

  private static Map<String, PeerOnlineState> states(StringList peers, StateList states) {
    Map<String, PeerOnlineState> m = new LinkedHashMap<>();
    for (int i = 0; i < (int) peers.size(); i++) m.put(peers.get(i), PeerOnlineState.of(states.get(i)));
    return m;
  }

  private static List<RtmChannelAttribute> channelAttributes(ChannelAttributeList l) {
    List<RtmChannelAttribute> out = new ArrayList<>();
    for (int i = 0; i < (int) l.size(); i++)
      out.add(new RtmChannelAttribute(l.key(i), l.value(i), l.lastUpdateUserId(i), l.lastUpdateTs(i)));
    return out;
  }

  private static void settle(CompletableFuture<?> f, int code, Object value, Operation op, String what) {
    if (f == null) return;
    if (code == 0) {
      @SuppressWarnings("unchecked")
      CompletableFuture<Object> o = (CompletableFuture<Object>) f;
      o.complete(value);
    } else {
      f.completeExceptionally(new RtmException(code, op, what + ": " + RtmException.nameOf(code, op) + " (" + code + ")"));
    }
  }

  /**
   * The director: every event of the C API arrives here on the dispatcher thread. Each method
   * catches everything user code throws, so no Java exception is pending when it returns.
   */
  private final class Bridge extends ClientListener {
    private void run(Runnable r) {
      try {
        r.run();
      } catch (Throwable t) {
        report(t);
      }
    }

    private RtmChannel channel(long key) {
      synchronized (lock) {
        return channels.get(key);
      }
    }

    @Override
    public void onConnectionStateChanged(int state, int reason) {
      run(() -> listener.onConnectionStateChanged(ConnectionState.of(state), ConnectionChangeReason.of(reason)));
    }

    @Override
    public void onLoginSuccess() {
      run(() -> {
        CompletableFuture<Void> f;
        synchronized (lock) {
          f = login;
          login = null;
        }
        if (f != null) f.complete(null);
      });
    }

    @Override
    public void onLoginFailure(int code) {
      run(() -> {
        CompletableFuture<Void> f;
        synchronized (lock) {
          f = login;
          login = null;
        }
        settle(f, code, null, Operation.LOGIN, "login");
      });
    }

    @Override
    public void onLogout(int code) {
      run(() -> {
        CompletableFuture<Void> f;
        synchronized (lock) {
          f = logout;
          logout = null;
        }
        settle(f, code, null, Operation.LOGOUT, "logout");
      });
    }

    @Override
    public void onRenewTokenResult(String token, int code) {
      run(() -> {
        CompletableFuture<?> f = null;
        synchronized (lock) {
          for (Iterator<Object[]> it = renews.iterator(); it.hasNext(); ) {
            Object[] r = it.next();
            if (r[0].equals(token == null ? "" : token)) {
              f = (CompletableFuture<?>) r[1];
              it.remove();
              break;
            }
          }
          if (f == null && !renews.isEmpty()) f = (CompletableFuture<?>) renews.poll()[1];
        }
        settle(f, code, null, Operation.RENEW_TOKEN, "renewToken");
      });
    }

    @Override
    public void onTokenExpired() {
      run(listener::onTokenExpired);
    }

    @Override
    public void onTokenPrivilegeWillExpire() {
      run(listener::onTokenPrivilegeWillExpire);
    }

    @Override
    public void onSendMessageResult(long messageId, int code) {
      run(() -> {
        CompletableFuture<PeerMessageErrorCode> f;
        synchronized (lock) {
          f = peerSends.remove(messageId);
        }
        if (f == null) return;
        if (code == 0 || code == PeerMessageErrorCode.CACHED_BY_SERVER.value()) f.complete(PeerMessageErrorCode.of(code));
        else settle(f, code, null, Operation.SEND_PEER_MESSAGE, "sendMessageToPeer");
      });
    }

    @Override
    public void onMessageReceivedFromPeer(String peerId, SWIGTYPE_p_rtm_message_s message) {
      run(() -> listener.onMessageReceived(RtmMessage.fromNative(message), peerId));
    }

    @Override
    public void onChannelJoinSuccess(long key) {
      run(() -> {
        RtmChannel ch = channel(key);
        CompletableFuture<Void> f = null;
        if (ch != null) synchronized (lock) {
          f = ch.joins.poll();
        }
        if (f != null) f.complete(null);
      });
    }

    @Override
    public void onChannelJoinFailure(long key, int code) {
      run(() -> {
        RtmChannel ch = channel(key);
        CompletableFuture<Void> f = null;
        if (ch != null) synchronized (lock) {
          f = ch.joins.poll();
        }
        settle(f, code, null, Operation.JOIN_CHANNEL, "join");
      });
    }

    @Override
    public void onChannelLeave(long key, int code) {
      run(() -> {
        RtmChannel ch = channel(key);
        CompletableFuture<Void> f = null;
        if (ch != null) synchronized (lock) {
          f = ch.leaves.poll();
        }
        settle(f, code, null, Operation.LEAVE_CHANNEL, "leave");
      });
    }

    @Override
    public void onChannelMessageReceived(long key, String memberId, SWIGTYPE_p_rtm_message_s message) {
      run(() -> {
        RtmChannel ch = channel(key);
        if (ch != null) ch.listener.onMessageReceived(RtmMessage.fromNative(message), memberId);
      });
    }

    @Override
    public void onChannelSendMessageResult(long key, long messageId, int code) {
      run(() -> {
        Object[] p;
        synchronized (lock) {
          p = channelSends.remove(messageId);
        }
        if (p != null) settle((CompletableFuture<?>) p[1], code, null, Operation.SEND_CHANNEL_MESSAGE, "sendMessage");
      });
    }

    @Override
    public void onChannelMemberJoined(long key, String memberId) {
      run(() -> {
        RtmChannel ch = channel(key);
        if (ch != null) ch.listener.onMemberJoined(memberId);
      });
    }

    @Override
    public void onChannelMemberLeft(long key, String memberId) {
      run(() -> {
        RtmChannel ch = channel(key);
        if (ch != null) ch.listener.onMemberLeft(memberId);
      });
    }

    @Override
    public void onChannelGetMembersResult(long key, StringList members, int code) {
      List<String> ids = list(members);
      run(() -> {
        RtmChannel ch = channel(key);
        CompletableFuture<List<String>> f = null;
        if (ch != null) synchronized (lock) {
          f = ch.memberQueries.poll();
        }
        settle(f, code, ids, Operation.GET_MEMBERS, "getMembers");
      });
    }

    @Override
    public void onChannelMemberCountUpdated(long key, int count) {
      run(() -> {
        RtmChannel ch = channel(key);
        if (ch != null) ch.listener.onMemberCountUpdated(count);
      });
    }

    @Override
    public void onChannelAttributesUpdated(long key, ChannelAttributeList attributes) {
      List<RtmChannelAttribute> attrs = channelAttributes(attributes);
      run(() -> {
        RtmChannel ch = channel(key);
        if (ch != null) ch.listener.onAttributesUpdated(attrs);
      });
    }

    @Override
    public void onQueryPeersOnlineStatusResult(long requestId, StringList peers, StateList st, int code) {
      Map<String, PeerOnlineState> m = states(peers, st);
      run(() -> settle(takeRequest(requestId), code, m, Operation.QUERY_PEERS_ONLINE_STATUS, "queryPeersOnlineStatus"));
    }

    @Override
    public void onSubscriptionRequestResult(long requestId, int code) {
      run(() -> settle(takeRequest(requestId), code, null, Operation.PEER_SUBSCRIPTION, "subscription"));
    }

    @Override
    public void onQueryPeersBySubscriptionOptionResult(long requestId, StringList peers, int code) {
      Set<String> s = new HashSet<>(list(peers));
      run(() -> settle(takeRequest(requestId), code, s, Operation.QUERY_PEERS_BY_SUBSCRIPTION_OPTION, "queryPeersBySubscriptionOption"));
    }

    @Override
    public void onPeersOnlineStatusChanged(StringList peers, StateList st) {
      Map<String, PeerOnlineState> m = states(peers, st);
      run(() -> listener.onPeersOnlineStatusChanged(m));
    }

    @Override
    public void onAttributeResult(int operation, long requestId, int code) {
      run(() -> settle(takeRequest(requestId), code, null, Operation.ATTRIBUTE_OPERATION, "attributes"));
    }

    @Override
    public void onGetUserAttributesResult(long requestId, String userId, AttributeList attributes, int code) {
      List<RtmAttribute> out = new ArrayList<>();
      for (int i = 0; i < (int) attributes.size(); i++) out.add(new RtmAttribute(attributes.key(i), attributes.value(i)));
      run(() -> settle(takeRequest(requestId), code, out, Operation.ATTRIBUTE_OPERATION, "getUserAttributes"));
    }

    @Override
    public void onGetChannelAttributesResult(long requestId, ChannelAttributeList attributes, int code) {
      List<RtmChannelAttribute> out = channelAttributes(attributes);
      run(() -> settle(takeRequest(requestId), code, out, Operation.ATTRIBUTE_OPERATION, "getChannelAttributes"));
    }

    @Override
    public void onGetChannelMemberCountResult(long requestId, StringList channelIds, IntList counts, int code) {
      Map<String, Integer> m = new LinkedHashMap<>();
      for (int i = 0; i < (int) channelIds.size(); i++) m.put(channelIds.get(i), counts.get(i));
      run(() -> settle(takeRequest(requestId), code, m, Operation.GET_CHANNEL_MEMBER_COUNT, "getChannelMemberCount"));
    }

    private LocalInvitation local(SWIGTYPE_p_rtm_local_invitation_s h, boolean last) {
      long id = RtmNative.rtm_local_invitation_id(h);
      synchronized (lock) {
        return last ? localInvitations.remove(id) : localInvitations.get(id);
      }
    }

    private RemoteInvitation remote(SWIGTYPE_p_rtm_remote_invitation_s h, boolean last) {
      long id = RtmNative.rtm_remote_invitation_id(h);
      synchronized (lock) {
        return last ? remoteInvitations.remove(id) : remoteInvitations.get(id);
      }
    }

    private void call(Consumer<RtmCallEventListener> c) {
      RtmCallEventListener l = callListener;
      if (l != null) c.accept(l);
    }

    @Override
    public void onLocalInvitationReceivedByPeer(SWIGTYPE_p_rtm_local_invitation_s inv) {
      run(() -> {
        LocalInvitation li = local(inv, false);
        if (li != null) call(l -> l.onLocalInvitationReceivedByPeer(li));
      });
    }

    @Override
    public void onLocalInvitationAccepted(SWIGTYPE_p_rtm_local_invitation_s inv, String response) {
      run(() -> {
        LocalInvitation li = local(inv, true);
        if (li != null) call(l -> l.onLocalInvitationAccepted(li, response));
      });
    }

    @Override
    public void onLocalInvitationRefused(SWIGTYPE_p_rtm_local_invitation_s inv, String response) {
      run(() -> {
        LocalInvitation li = local(inv, true);
        if (li != null) call(l -> l.onLocalInvitationRefused(li, response));
      });
    }

    @Override
    public void onLocalInvitationCanceled(SWIGTYPE_p_rtm_local_invitation_s inv) {
      run(() -> {
        LocalInvitation li = local(inv, true);
        if (li != null) call(l -> l.onLocalInvitationCanceled(li));
      });
    }

    @Override
    public void onLocalInvitationFailure(SWIGTYPE_p_rtm_local_invitation_s inv, int code) {
      run(() -> {
        LocalInvitation li = local(inv, true);
        if (li != null) call(l -> l.onLocalInvitationFailure(li, LocalInvitationErrorCode.of(code)));
      });
    }

    @Override
    public void onRemoteInvitationReceived(SWIGTYPE_p_rtm_remote_invitation_s inv) {
      run(() -> {
        RemoteInvitation ri = new RemoteInvitation(inv);
        synchronized (lock) {
          remoteInvitations.put(ri.getId(), ri);
        }
        call(l -> l.onRemoteInvitationReceived(ri));
      });
    }

    @Override
    public void onRemoteInvitationAccepted(SWIGTYPE_p_rtm_remote_invitation_s inv) {
      run(() -> {
        RemoteInvitation ri = remote(inv, true);
        if (ri != null) call(l -> l.onRemoteInvitationAccepted(ri));
      });
    }

    @Override
    public void onRemoteInvitationRefused(SWIGTYPE_p_rtm_remote_invitation_s inv) {
      run(() -> {
        RemoteInvitation ri = remote(inv, true);
        if (ri != null) call(l -> l.onRemoteInvitationRefused(ri));
      });
    }

    @Override
    public void onRemoteInvitationCanceled(SWIGTYPE_p_rtm_remote_invitation_s inv) {
      run(() -> {
        RemoteInvitation ri = remote(inv, true);
        if (ri != null) call(l -> l.onRemoteInvitationCanceled(ri));
      });
    }

    @Override
    public void onRemoteInvitationFailure(SWIGTYPE_p_rtm_remote_invitation_s inv, int code) {
      run(() -> {
        RemoteInvitation ri = remote(inv, true);
        if (ri != null) call(l -> l.onRemoteInvitationFailure(ri, RemoteInvitationErrorCode.of(code)));
      });
    }
  }
}
