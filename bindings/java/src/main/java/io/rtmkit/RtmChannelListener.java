package io.rtmkit;

import java.util.List;

/**
 * Events of one channel (RTM's RtmChannelListener), on the client's dispatcher thread, in order.
 * An exception thrown here is reported to the client's callback error handler.
 */
public interface RtmChannelListener {
  default void onMemberCountUpdated(int memberCount) {}

  /** Every attribute of the channel, after a change notified to the members. */
  default void onAttributesUpdated(List<RtmChannelAttribute> attributes) {}

  default void onMessageReceived(RtmMessage message, String memberId) {}

  default void onMemberJoined(String memberId) {}

  default void onMemberLeft(String memberId) {}
}
