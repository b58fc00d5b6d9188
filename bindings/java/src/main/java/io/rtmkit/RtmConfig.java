package io.rtmkit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The configuration of a client: the keys of the C API (docs/c-api.md, "Client keys"), set as
 * strings, plus the handler of exceptions thrown by listeners.
 */
public final class RtmConfig {
  final Map<String, String> values = new LinkedHashMap<>();
  Consumer<Throwable> callbackErrorHandler;

  public RtmConfig() {}

  /** The app id (required to log in). */
  public RtmConfig appId(String appId) {
    return set("app_id", appId);
  }

  /** ws://host[:port][/path] or wss://… of the rtmd to use. */
  public RtmConfig url(String url) {
    return set("url", url);
  }

  /**
   * Any key of the C API's client configuration, e.g. "login_timeout_ms". Checked by the client.
   * The binding runs every callback on the client's dispatcher thread: "callback.dispatch" (alias
   * "dispatch") can only be "thread".
   */
  public RtmConfig set(String key, String value) {
    if (("callback.dispatch".equals(key) || "dispatch".equals(key)) && !"thread".equals(value))
      throw new IllegalArgumentException("the Java binding supports callback.dispatch=thread only");
    values.put(key, value);
    return this;
  }

  /** The keys set so far, in order (read-only). */
  public Map<String, String> entries() {
    return Collections.unmodifiableMap(values);
  }

  /** The handler set with {@link #callbackErrorHandler(Consumer)}, or null. */
  public Consumer<Throwable> getCallbackErrorHandler() {
    return callbackErrorHandler;
  }

  /**
   * Receives every exception a listener (or a future's dependent action run on the dispatcher)
   * throws. The default prints it to System.err. It runs on the dispatcher thread.
   */
  public RtmConfig callbackErrorHandler(Consumer<Throwable> handler) {
    this.callbackErrorHandler = handler;
    return this;
  }
}
