package io.rtmkit;

import io.rtmkit.internal.RtmNative;
import io.rtmkit.internal.SWIGTYPE_p_rtm_server_conf_s;
import io.rtmkit.internal.SWIGTYPE_p_rtm_server_s;
import java.util.Map;

/**
 * An rtmd embedded in this process (the C API's rtm_server_*), for tests and local development.
 * Configured with rtmd's keys (docs/c-api.md, "Embedded server keys"), e.g.
 * {@code Map.of("listen", "127.0.0.1:0", "data_dir", dir, "rate_limits", "off")}.
 */
public final class RtmServer implements AutoCloseable {
  private SWIGTYPE_p_rtm_server_s handle;

  /** Creates and starts a server. */
  public static RtmServer start(Map<String, String> conf) {
    int[] rc = new int[1];
    SWIGTYPE_p_rtm_server_conf_s sc = RtmNative.server_conf_new(rc);
    RtmException.check(rc[0], null, "rtm_server_conf_new");
    try {
      for (Map.Entry<String, String> e : conf.entrySet())
        RtmException.check(RtmNative.server_conf_set(sc, e.getKey(), e.getValue()), null, "server key " + e.getKey());
    } catch (RuntimeException e) {
      RtmNative.rtm_server_conf_destroy(sc);
      throw e;
    }
    SWIGTYPE_p_rtm_server_s s = RtmNative.server_new(sc, rc);
    if (rc[0] != 0) {
      RtmNative.rtm_server_conf_destroy(sc);
      throw RtmException.of(rc[0], null, "rtm_server_new");
    }
    RtmServer server = new RtmServer();
    server.handle = s;
    try {
      server.start();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** Starts the server again after {@link #stop()} (same configuration and store). */
  public synchronized void start() {
    RtmException.check(RtmNative.rtm_server_start(live()), null, "rtm_server_start");
  }

  /** Graceful stop: every session is closed. */
  public synchronized void stop() {
    RtmException.check(RtmNative.rtm_server_stop(live()), null, "rtm_server_stop");
  }

  /** The bound port of the first ws listener (0 when stopped). */
  public synchronized int port() {
    return RtmNative.rtm_server_port(live(), 0);
  }

  /** ws://127.0.0.1:port */
  public String url() {
    return "ws://127.0.0.1:" + port();
  }

  /** Open connections. */
  public synchronized long connectionCount() {
    return RtmNative.rtm_server_connection_count(live());
  }

  private SWIGTYPE_p_rtm_server_s live() {
    if (handle == null) throw new IllegalStateException("the server is closed");
    return handle;
  }

  @Override
  public synchronized void close() {
    if (handle != null) {
      RtmNative.rtm_server_destroy(handle);
      handle = null;
    }
  }
}
