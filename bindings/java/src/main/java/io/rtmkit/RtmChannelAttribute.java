package io.rtmkit;

/** A channel attribute as the server reports it: key, value, who set it last and when. */
public final class RtmChannelAttribute {
  private final String key;
  private final String value;
  private final String lastUpdateUserId;
  private final long lastUpdateTs;

  public RtmChannelAttribute(String key, String value, String lastUpdateUserId, long lastUpdateTs) {
    this.key = key;
    this.value = value;
    this.lastUpdateUserId = lastUpdateUserId;
    this.lastUpdateTs = lastUpdateTs;
  }

  public String getKey() {
    return key;
  }

  public String getValue() {
    return value;
  }

  public String getLastUpdateUserId() {
    return lastUpdateUserId;
  }

  /** ms since the Unix epoch */
  public long getLastUpdateTs() {
    return lastUpdateTs;
  }

  @Override
  public String toString() {
    return key + "=" + value + " (" + lastUpdateUserId + ", " + lastUpdateTs + ")";
  }
}
