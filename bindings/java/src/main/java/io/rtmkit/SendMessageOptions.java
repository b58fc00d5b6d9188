package io.rtmkit;

/** Options of a peer or channel message (RTM's SendMessageOptions). */
public final class SendMessageOptions {
  /** Store the peer message when the peer is offline (the result is then CACHED_BY_SERVER). */
  public boolean enableOfflineMessaging;
  /** Accepted for compatibility with RTM 1.x. */
  public boolean enableHistoricalMessaging;

  public SendMessageOptions() {}

  public SendMessageOptions(boolean enableOfflineMessaging, boolean enableHistoricalMessaging) {
    this.enableOfflineMessaging = enableOfflineMessaging;
    this.enableHistoricalMessaging = enableHistoricalMessaging;
  }
}
