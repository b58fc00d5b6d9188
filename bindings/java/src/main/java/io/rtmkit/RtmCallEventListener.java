package io.rtmkit;

/**
 * Call invitation events (RTM's RtmCallEventListener), on the client's dispatcher thread, in order.
 * The invitation objects are the ones the application created ({@link LocalInvitation}) or was
 * handed in {@link #onRemoteInvitationReceived} ({@link RemoteInvitation}); their state follows the
 * events.
 */
public interface RtmCallEventListener {
  default void onLocalInvitationReceivedByPeer(LocalInvitation invitation) {}

  default void onLocalInvitationAccepted(LocalInvitation invitation, String response) {}

  default void onLocalInvitationRefused(LocalInvitation invitation, String response) {}

  default void onLocalInvitationCanceled(LocalInvitation invitation) {}

  default void onLocalInvitationFailure(LocalInvitation invitation, LocalInvitationErrorCode errorCode) {}

  /** An invitation arrived: answer it with {@link RtmClient#acceptRemoteInvitation} or refuse it. */
  default void onRemoteInvitationReceived(RemoteInvitation invitation) {}

  default void onRemoteInvitationAccepted(RemoteInvitation invitation) {}

  default void onRemoteInvitationRefused(RemoteInvitation invitation) {}

  default void onRemoteInvitationCanceled(RemoteInvitation invitation) {}

  default void onRemoteInvitationFailure(RemoteInvitation invitation, RemoteInvitationErrorCode errorCode) {}
}
