package io.rtmkit;

import io.rtmkit.internal.RtmNative;
import io.rtmkit.internal.SWIGTYPE_p_rtm_local_invitation_s;
import java.lang.ref.Cleaner;

/**
 * A call invitation this user sends (RTM's LocalInvitation), created by
 * {@link RtmClient#createLocalInvitation}. Its state follows the events. Close it when done (a
 * Cleaner releases the native handle of an invitation that was not closed).
 */
public final class LocalInvitation implements AutoCloseable {
  static final Cleaner CLEANER = Cleaner.create();

  private final Handle handle;
  private final Cleaner.Cleanable cleanable;
  private final long id;
  private final String calleeId;

  private static final class Handle implements Runnable {
    volatile SWIGTYPE_p_rtm_local_invitation_s h;

    Handle(SWIGTYPE_p_rtm_local_invitation_s h) {
      this.h = h;
    }

    @Override
    public synchronized void run() {
      if (h != null) RtmNative.rtm_local_invitation_destroy(h);
      h = null;
    }
  }

  LocalInvitation(SWIGTYPE_p_rtm_local_invitation_s h) {
    this.handle = new Handle(h);
    this.cleanable = CLEANER.register(this, handle);
    this.id = RtmNative.rtm_local_invitation_id(h);
    this.calleeId = RtmNative.rtm_local_invitation_callee_id(h);
  }

  SWIGTYPE_p_rtm_local_invitation_s handle() {
    SWIGTYPE_p_rtm_local_invitation_s h = handle.h;
    if (h == null) throw new IllegalStateException("the invitation is closed");
    return h;
  }

  /** The id shared by every handle of this invitation. */
  public long getId() {
    return id;
  }

  public String getCalleeId() {
    return calleeId;
  }

  public String getContent() {
    return RtmKit.text(RtmNative.local_invitation_content(handle()), "getContent");
  }

  /** Sets the content, before sending. */
  public void setContent(String content) {
    RtmException.check(RtmNative.rtm_local_invitation_set_content(handle(), content), Operation.INVITATION_API_CALL, "setContent");
  }

  public String getChannelId() {
    return RtmKit.text(RtmNative.local_invitation_channel_id(handle()), "getChannelId");
  }

  /** Sets the channel id, before sending. */
  public void setChannelId(String channelId) {
    RtmException.check(RtmNative.rtm_local_invitation_set_channel_id(handle(), channelId), Operation.INVITATION_API_CALL, "setChannelId");
  }

  /** The callee's response, once accepted or refused. */
  public String getResponse() {
    return RtmKit.text(RtmNative.local_invitation_response(handle()), "getResponse");
  }

  public LocalInvitationState getState() {
    return LocalInvitationState.of(RtmNative.rtm_local_invitation_state(handle()));
  }

  /** Releases the native handle (it never cancels the invitation). */
  @Override
  public void close() {
    cleanable.clean();
  }

  @Override
  public String toString() {
    return "LocalInvitation[" + id + " to " + calleeId + "]";
  }
}
