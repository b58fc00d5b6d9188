package io.rtmkit;

import io.rtmkit.internal.RtmNative;

/**
 * A failed rtmkit call: either a refusal or failure of an RTM operation, with the RTM 1.x code of
 * that operation ({@link #getCode()} &gt; 0, {@link #getOperation()} tells which family), or a local
 * error of the library ({@link #getCode()} &lt; 0, a {@link LocalErrorCode}).
 */
public class RtmException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final Operation operation;
  private final String name;

  public RtmException(int code, Operation operation, String message) {
    super(message);
    this.code = code;
    this.operation = code > 0 ? operation : null;
    this.name = nameOf(code, this.operation);
  }

  /** The code: the RTM code of the operation (&gt; 0) or a local error (&lt; 0). */
  public int getCode() {
    return code;
  }

  /** The operation whose RTM code this is, or null for a local error. */
  public Operation getOperation() {
    return operation;
  }

  /** The C enumerator name of the code, e.g. "RTM_LOGIN_ERR_ALREADY_LOGGED_IN". */
  public String getCodeName() {
    return name;
  }

  /** The local error, or null when the code is an operation's RTM code. */
  public LocalErrorCode getLocalError() {
    return code < 0 ? LocalErrorCode.of(code) : null;
  }

  static String nameOf(int code, Operation op) {
    if (code > 0 && op != null) return RtmNative.rtm_op_err2name(op.value(), code);
    return RtmNative.rtm_err2name(code);
  }

  /** An exception for {@code code} returned by the call named {@code what}. */
  static RtmException of(int code, Operation op, String what) {
    String last = RtmNative.rtm_last_error();
    String name = nameOf(code, code > 0 ? op : null);
    String msg = what + ": " + name + " (" + code + ")" + (last == null || last.isEmpty() ? "" : ": " + last);
    return new RtmException(code, op, msg);
  }

  static void check(int code, Operation op, String what) {
    if (code != 0) throw of(code, op, what);
  }
}
