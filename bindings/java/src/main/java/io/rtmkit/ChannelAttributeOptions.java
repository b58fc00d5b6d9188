package io.rtmkit;

/** Options of the channel attribute operations. */
public final class ChannelAttributeOptions {
  /** The members of the channel get onAttributesUpdated. */
  public boolean enableNotificationToChannelMembers;

  public ChannelAttributeOptions() {}

  public ChannelAttributeOptions(boolean enableNotificationToChannelMembers) {
    this.enableNotificationToChannelMembers = enableNotificationToChannelMembers;
  }
}
