package io.rtmkit;

import io.rtmkit.internal.RtmNative;
import io.rtmkit.internal.SWIGTYPE_p_rtm_message_s;
import java.util.Arrays;

/**
 * A peer or channel message: TEXT (a string) or RAW (bytes with an optional text description).
 * Immutable. Received messages also carry the sender's message id, the time the server received them
 * and whether they were stored while the receiver was offline.
 */
public final class RtmMessage {
  private final MessageType type;
  private final String text;
  private final byte[] raw;
  private final long messageId;
  private final long serverReceivedTs;
  private final boolean offline;

  private RtmMessage(MessageType type, String text, byte[] raw, long id, long ts, boolean offline) {
    this.type = type;
    this.text = text;
    this.raw = raw;
    this.messageId = id;
    this.serverReceivedTs = ts;
    this.offline = offline;
  }

  /** A TEXT message. */
  public static RtmMessage text(String text) {
    if (text == null) throw new NullPointerException("text");
    return new RtmMessage(MessageType.TEXT, text, new byte[0], 0, 0, false);
  }

  /** A RAW message carrying a copy of {@code data}. */
  public static RtmMessage raw(byte[] data) {
    return raw(data, "");
  }

  /** A RAW message carrying a copy of {@code data}, with a text description. */
  public static RtmMessage raw(byte[] data, String description) {
    if (data == null) throw new NullPointerException("data");
    return new RtmMessage(MessageType.RAW, description == null ? "" : description, data.clone(), 0, 0, false);
  }

  public MessageType getMessageType() {
    return type;
  }

  /** The text of a TEXT message, the description of a RAW one. */
  public String getText() {
    return text;
  }

  /** A copy of the payload of a RAW message (empty for TEXT). */
  public byte[] getRawMessage() {
    return raw.clone();
  }

  /** The sender's id of a received message (0 for a message built here). */
  public long getMessageId() {
    return messageId;
  }

  /** When the server received it, ms since the Unix epoch (received messages). */
  public long getServerReceivedTs() {
    return serverReceivedTs;
  }

  /** True if it was stored while this user was offline. */
  public boolean isOfflineMessage() {
    return offline;
  }

  @Override
  public String toString() {
    return type == MessageType.RAW ? "RtmMessage[RAW " + raw.length + " bytes, " + text + "]" : "RtmMessage[" + text + "]";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RtmMessage)) return false;
    RtmMessage m = (RtmMessage) o;
    return type == m.type && text.equals(m.text) && Arrays.equals(raw, m.raw) && messageId == m.messageId;
  }

  @Override
  public int hashCode() {
    return text.hashCode() * 31 + Arrays.hashCode(raw);
  }

  /** A copy of the borrowed native message of a callback. */
  static RtmMessage fromNative(SWIGTYPE_p_rtm_message_s m) {
    MessageType t = MessageType.of(RtmNative.rtm_message_type(m));
    String text = RtmNative.message_text(m);
    byte[] raw = new byte[(int) RtmNative.message_raw_size(m)];
    if (raw.length > 0) RtmNative.message_raw_copy(m, raw, raw.length);
    return new RtmMessage(t == null ? MessageType.UNDEFINED : t, text == null ? "" : text, raw, RtmNative.rtm_message_id(m),
        RtmNative.rtm_message_server_received_ts(m), RtmNative.rtm_message_is_offline(m) != 0);
  }

  /** A native message with this content; the caller destroys it. */
  SWIGTYPE_p_rtm_message_s toNative(Operation op, String what) {
    int[] rc = new int[1];
    SWIGTYPE_p_rtm_message_s m = type == MessageType.RAW ? RtmNative.message_new_raw(raw, raw.length, rc)
                                                         : RtmNative.message_new_text(text, rc);
    RtmException.check(rc[0], op, what);
    if (type == MessageType.RAW && !text.isEmpty()) {
      int r = RtmNative.rtm_message_set_text(m, text);
      if (r != 0) {
        RtmNative.rtm_message_destroy(m);
        throw RtmException.of(r, op, what);
      }
    }
    return m;
  }
}
