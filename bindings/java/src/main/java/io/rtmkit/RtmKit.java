package io.rtmkit;

import io.rtmkit.internal.Loader;
import io.rtmkit.internal.RtmNative;
import io.rtmkit.internal.Text;

/** Library-wide functions: versions, log level, token minting. */
public final class RtmKit {
  private RtmKit() {}

  /** The version of the loaded native library, e.g. "0.2.0". */
  public static String version() {
    return RtmNative.rtm_version_str();
  }

  /** The ABI major of the loaded native library. */
  public static int abiVersion() {
    return RtmNative.rtm_abi_version();
  }

  /** Where the native libraries were loaded from: "system" or "jar:rtmkit-&lt;platform&gt;". */
  public static String nativeSource() {
    RtmNative.rtm_abi_version(); // loads them
    return Loader.source();
  }

  /** The process-wide log level of the native library: trace, debug, info, warn, error or off. */
  public static void setLogLevel(String level) {
    RtmException.check(RtmNative.rtm_set_log_level(level), null, "setLogLevel");
  }

  /** A 007 RTM token (AccessToken2) for {@code userId}, valid for {@code expireSeconds}. */
  public static String buildToken007(String appId, String appCertificate, String userId, long expireSeconds) {
    return text(RtmNative.token_build_007(appId, appCertificate, userId, expireSeconds), "buildToken007");
  }

  /** A 006 RTM token for {@code userId}, valid for 24 hours. */
  public static String buildToken006(String appId, String appCertificate, String userId) {
    return text(RtmNative.token_build_006(appId, appCertificate, userId), "buildToken006");
  }

  static String text(Text t, String what) {
    try {
      RtmException.check(t.code(), null, what);
      return t.value();
    } finally {
      t.delete();
    }
  }

  /** Prints the version and where the native libraries came from (java -jar rtmkit.jar). */
  public static void main(String[] args) {
    System.out.println("rtmkit " + version() + " (ABI " + abiVersion() + ", natives: " + Loader.source() + ")");
  }
}
