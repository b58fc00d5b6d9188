package io.rtmkit.signaling;

/**
 * The events of a {@link Signal} instance: the legacy Signaling SDK's ICallBack, with the same
 * names and arguments. Every method runs on the instance's dispatcher thread, one at a time, in
 * order. Error numbers are AGORA_E_CODE values ({@link Signal#ecodeName(int)} names them). Legacy
 * uids are always 0. An exception thrown here is passed to the configuration's callback error
 * handler, and the instance goes on.
 */
public interface SignalCallback {
  default void onLoginSuccess(long uid, int fd) {}

  default void onLoginFailed(int ecode) {}

  default void onLogout(int ecode) {}

  default void onReconnecting(long nretry) {}

  default void onReconnected(int fd) {}

  default void onChannelJoined(String channelID) {}

  default void onChannelJoinFailed(String channelID, int ecode) {}

  default void onChannelLeaved(String channelID, int ecode) {}

  default void onChannelUserJoined(String account, long uid) {}

  default void onChannelUserLeaved(String account, long uid) {}

  default void onChannelUserList(String[] accounts, long[] uids) {}

  /** type is "update", "del" or "clear". */
  default void onChannelAttrUpdated(String channelID, String name, String value, String type) {}

  default void onChannelQueryUserNumResult(String channelID, int ecode, int num) {}

  default void onChannelQueryUserIsIn(String channelID, String account, int isIn) {}

  default void onMessageInstantReceive(String account, long uid, String msg) {}

  default void onMessageChannelReceive(String channelID, String account, long uid, String msg) {}

  default void onMessageSendSuccess(String messageID) {}

  default void onMessageSendError(String messageID, int ecode) {}

  default void onInviteReceived(String channelID, String account, long uid, String extra) {}

  default void onInviteReceivedByPeer(String channelID, String account, long uid) {}

  default void onInviteAcceptedByPeer(String channelID, String account, long uid, String extra) {}

  default void onInviteRefusedByPeer(String channelID, String account, long uid, String extra) {}

  default void onInviteFailed(String channelID, String account, long uid, int ecode, String extra) {}

  default void onInviteEndByPeer(String channelID, String account, long uid, String extra) {}

  default void onInviteEndByMyself(String channelID, String account, long uid) {}

  default void onInviteMsg(String channelID, String account, long uid, String msgType, String msgData, String extra) {}

  default void onInvokeRet(String callID, int err, String resp) {}

  /** status is "1" (online) or "0". */
  default void onQueryUserStatusResult(String account, String status) {}

  default void onUserAttrResult(String account, String name, String value) {}

  default void onUserAttrAllResult(String account, String value) {}

  default void onError(String name, int ecode, String desc) {}
}
