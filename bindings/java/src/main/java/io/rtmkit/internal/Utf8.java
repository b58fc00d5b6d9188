package io.rtmkit.internal;

import java.nio.charset.StandardCharsets;

/**
 * Strings cross JNI as byte arrays of real UTF-8 (JNI's own string functions use modified UTF-8).
 * Used by the generated code; not part of the API.
 */
public final class Utf8 {
  private Utf8() {}

  /** The UTF-8 bytes of {@code s} followed by a NUL, or null for null. */
  public static byte[] encode(String s) {
    if (s == null) return null;
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    byte[] z = new byte[b.length + 1];
    System.arraycopy(b, 0, z, 0, b.length);
    return z;
  }

  /** The string of UTF-8 {@code b}, or null for null. */
  public static String decode(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }
}
