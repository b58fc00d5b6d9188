package io.rtmkit;

import java.util.Map;

/**
 * Events of a client (RTM's RtmClientListener). Every method runs on the client's dispatcher thread
 * ("rtm-dispatch"), one at a time, in the order the events happened. An exception thrown here is
 * reported to the client's callback error handler and does not stop the client.
 */
public interface RtmClientListener {
  default void onConnectionStateChanged(ConnectionState state, ConnectionChangeReason reason) {}

  /** A peer message; {@code message} is a copy the listener may keep. */
  default void onMessageReceived(RtmMessage message, String peerId) {}

  /** Reconnecting failed because the token expired: call {@link RtmClient#renewToken}. */
  default void onTokenExpired() {}

  /** The token expires soon: renew it. */
  default void onTokenPrivilegeWillExpire() {}

  /** The online state of subscribed peers changed (also once right after subscribing). */
  default void onPeersOnlineStatusChanged(Map<String, PeerOnlineState> peersStatus) {}
}
