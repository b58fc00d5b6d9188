package io.rtmkit;

import io.rtmkit.internal.RtmNative;
import io.rtmkit.internal.SWIGTYPE_p_rtm_remote_invitation_s;
import java.lang.ref.Cleaner;

/**
 * A call invitation this user received (RTM's RemoteInvitation), handed to
 * {@link RtmCallEventListener#onRemoteInvitationReceived}. Its state follows the events. Close it
 * when done (a Cleaner releases the native handle of one that was not closed).
 */
public final class RemoteInvitation implements AutoCloseable {
  private final Handle handle;
  private final Cleaner.Cleanable cleanable;
  private final long id;
  private final String callerId;
  private final String content;
  private final String channelId;

  private static final class Handle implements Runnable {
    volatile SWIGTYPE_p_rtm_remote_invitation_s h;

    Handle(SWIGTYPE_p_rtm_remote_invitation_s h) {
      this.h = h;
    }

    @Override
    public synchronized void run() {
      if (h != null) RtmNative.rtm_remote_invitation_destroy(h);
      h = null;
    }
  }

  /** Keeps the invitation: `borrowed` is the handle of a callback. */
  RemoteInvitation(SWIGTYPE_p_rtm_remote_invitation_s borrowed) {
    int[] rc = new int[1];
    SWIGTYPE_p_rtm_remote_invitation_s h = RtmNative.remote_invitation_copy(borrowed, rc);
    RtmException.check(rc[0], null, "rtm_remote_invitation_copy");
    this.handle = new Handle(h);
    this.cleanable = LocalInvitation.CLEANER.register(this, handle);
    this.id = RtmNative.rtm_remote_invitation_id(h);
    this.callerId = RtmNative.rtm_remote_invitation_caller_id(h);
    this.content = RtmNative.rtm_remote_invitation_content(h);
    this.channelId = RtmNative.rtm_remote_invitation_channel_id(h);
  }

  SWIGTYPE_p_rtm_remote_invitation_s handle() {
    SWIGTYPE_p_rtm_remote_invitation_s h = handle.h;
    if (h == null) throw new IllegalStateException("the invitation is closed");
    return h;
  }

  public long getId() {
    return id;
  }

  public String getCallerId() {
    return callerId;
  }

  public String getContent() {
    return content;
  }

  public String getChannelId() {
    return channelId;
  }

  /** The response sent with accept or refuse. */
  public String getResponse() {
    return RtmKit.text(RtmNative.remote_invitation_response(handle()), "getResponse");
  }

  public void setResponse(String response) {
    RtmException.check(RtmNative.rtm_remote_invitation_set_response(handle(), response), Operation.INVITATION_API_CALL, "setResponse");
  }

  public RemoteInvitationState getState() {
    return RemoteInvitationState.of(RtmNative.rtm_remote_invitation_state(handle()));
  }

  /** Releases the native handle (it never refuses the invitation). */
  @Override
  public void close() {
    cleanable.clean();
  }

  @Override
  public String toString() {
    return "RemoteInvitation[" + id + " from " + callerId + "]";
  }
}
