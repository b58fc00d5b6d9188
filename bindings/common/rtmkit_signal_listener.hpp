// rtmkit — the shim of the Signaling compatibility API (capi/include/rtmkit/signaling.h) for the
// SWIG bindings: SignalListener, one virtual method per ICallBack event (a director in Java and C#),
// attach_signal_listener() registering static C trampolines on the conf with the listener as user
// data, and value-returning helpers. Header-only; same rules as rtmkit_listener.hpp.
#ifndef RTMKIT_BINDINGS_SIGNAL_LISTENER_HPP
#define RTMKIT_BINDINGS_SIGNAL_LISTENER_HPP

#include "rtmkit_listener.hpp"

namespace rtmsw {

class UidList {
 public:
  UidList(const uint32_t *items, size_t count) : items_(items), count_(count) {}
  size_t size() const { return count_; }
  int64_t get(size_t i) const { return i < count_ && items_ ? static_cast<int64_t>(items_[i]) : 0; }

 private:
  const uint32_t *items_;
  size_t count_;
};

// Legacy uids are unsigned 32-bit; they are handed over as int64_t (always 0 in rtmkit).
class SignalListener {
 public:
  virtual ~SignalListener() {}
  virtual void onLoginSuccess(int64_t uid, int fd) { (void)uid, (void)fd; }
  virtual void onLoginFailed(int ecode) { (void)ecode; }
  virtual void onLogout(int ecode) { (void)ecode; }
  virtual void onReconnecting(int64_t nretry) { (void)nretry; }
  virtual void onReconnected(int fd) { (void)fd; }
  virtual void onChannelJoined(const char *channel) { (void)channel; }
  virtual void onChannelJoinFailed(const char *channel, int ecode) { (void)channel, (void)ecode; }
  virtual void onChannelLeaved(const char *channel, int ecode) { (void)channel, (void)ecode; }
  virtual void onChannelUserJoined(const char *account, int64_t uid) { (void)account, (void)uid; }
  virtual void onChannelUserLeaved(const char *account, int64_t uid) { (void)account, (void)uid; }
  virtual void onChannelUserList(const StringList &accounts, const UidList &uids) { (void)accounts, (void)uids; }
  virtual void onChannelAttrUpdated(const char *channel, const char *name, const char *value, const char *type) {
    (void)channel, (void)name, (void)value, (void)type;
  }
  virtual void onChannelQueryUserNumResult(const char *channel, int ecode, int num) {
    (void)channel, (void)ecode, (void)num;
  }
  virtual void onChannelQueryUserIsIn(const char *channel, const char *account, int isIn) {
    (void)channel, (void)account, (void)isIn;
  }
  virtual void onMessageInstantReceive(const char *account, int64_t uid, const char *msg) {
    (void)account, (void)uid, (void)msg;
  }
  virtual void onMessageChannelReceive(const char *channel, const char *account, int64_t uid, const char *msg) {
    (void)channel, (void)account, (void)uid, (void)msg;
  }
  virtual void onMessageSendSuccess(const char *messageId) { (void)messageId; }
  virtual void onMessageSendError(const char *messageId, int ecode) { (void)messageId, (void)ecode; }
  virtual void onInviteReceived(const char *channel, const char *account, int64_t uid, const char *extra) {
    (void)channel, (void)account, (void)uid, (void)extra;
  }
  virtual void onInviteReceivedByPeer(const char *channel, const char *account, int64_t uid) {
    (void)channel, (void)account, (void)uid;
  }
  virtual void onInviteAcceptedByPeer(const char *channel, const char *account, int64_t uid, const char *extra) {
    (void)channel, (void)account, (void)uid, (void)extra;
  }
  virtual void onInviteRefusedByPeer(const char *channel, const char *account, int64_t uid, const char *extra) {
    (void)channel, (void)account, (void)uid, (void)extra;
  }
  virtual void onInviteFailed(const char *channel, const char *account, int64_t uid, int ecode, const char *extra) {
    (void)channel, (void)account, (void)uid, (void)ecode, (void)extra;
  }
  virtual void onInviteEndByPeer(const char *channel, const char *account, int64_t uid, const char *extra) {
    (void)channel, (void)account, (void)uid, (void)extra;
  }
  virtual void onInviteEndByMyself(const char *channel, const char *account, int64_t uid) {
    (void)channel, (void)account, (void)uid;
  }
  virtual void onInviteMsg(const char *channel, const char *account, int64_t uid, const char *msgType,
                           const char *msgData, const char *extra) {
    (void)channel, (void)account, (void)uid, (void)msgType, (void)msgData, (void)extra;
  }
  virtual void onInvokeRet(const char *callId, int err, const char *resp) { (void)callId, (void)err, (void)resp; }
  virtual void onQueryUserStatusResult(const char *account, const char *status) { (void)account, (void)status; }
  virtual void onUserAttrResult(const char *account, const char *name, const char *value) {
    (void)account, (void)name, (void)value;
  }
  virtual void onUserAttrAllResult(const char *account, const char *valueJson) { (void)account, (void)valueJson; }
  virtual void onError(const char *name, int ecode, const char *desc) { (void)name, (void)ecode, (void)desc; }
};

#ifndef SWIG
namespace sigdetail {

inline SignalListener *S(void *ud) { return static_cast<SignalListener *>(ud); }
using detail::guard;

#define RTMSW_SIG_CB(name, params, call) \
  static void RTM_CALL name params noexcept { guard(#name, [&] { call; }); }

RTMSW_SIG_CB(login_success, (rtm_sig_t *, uint32_t uid, int fd, void *ud), S(ud)->onLoginSuccess(uid, fd))
RTMSW_SIG_CB(login_failed, (rtm_sig_t *, int e, void *ud), S(ud)->onLoginFailed(e))
RTMSW_SIG_CB(logout, (rtm_sig_t *, int e, void *ud), S(ud)->onLogout(e))
RTMSW_SIG_CB(reconnecting, (rtm_sig_t *, uint32_t n, void *ud), S(ud)->onReconnecting(n))
RTMSW_SIG_CB(reconnected, (rtm_sig_t *, int fd, void *ud), S(ud)->onReconnected(fd))
RTMSW_SIG_CB(channel_joined, (rtm_sig_t *, const char *c, void *ud), S(ud)->onChannelJoined(c))
RTMSW_SIG_CB(channel_join_failed, (rtm_sig_t *, const char *c, int e, void *ud), S(ud)->onChannelJoinFailed(c, e))
RTMSW_SIG_CB(channel_leaved, (rtm_sig_t *, const char *c, int e, void *ud), S(ud)->onChannelLeaved(c, e))
RTMSW_SIG_CB(user_joined, (rtm_sig_t *, const char *a, uint32_t uid, void *ud), S(ud)->onChannelUserJoined(a, uid))
RTMSW_SIG_CB(user_leaved, (rtm_sig_t *, const char *a, uint32_t uid, void *ud), S(ud)->onChannelUserLeaved(a, uid))
RTMSW_SIG_CB(user_list, (rtm_sig_t *, size_t n, const char *const *a, const uint32_t *u, void *ud),
             S(ud)->onChannelUserList(StringList(a, n), UidList(u, n)))
RTMSW_SIG_CB(attr_updated, (rtm_sig_t *, const char *c, const char *n, const char *v, const char *t, void *ud),
             S(ud)->onChannelAttrUpdated(c, n, v, t))
RTMSW_SIG_CB(user_num, (rtm_sig_t *, const char *c, int e, int num, void *ud), S(ud)->onChannelQueryUserNumResult(c, e, num))
RTMSW_SIG_CB(user_is_in, (rtm_sig_t *, const char *c, const char *a, int in, void *ud), S(ud)->onChannelQueryUserIsIn(c, a, in))
RTMSW_SIG_CB(instant_receive, (rtm_sig_t *, const char *a, uint32_t uid, const char *m, void *ud),
             S(ud)->onMessageInstantReceive(a, uid, m))
RTMSW_SIG_CB(channel_receive, (rtm_sig_t *, const char *c, const char *a, uint32_t uid, const char *m, void *ud),
             S(ud)->onMessageChannelReceive(c, a, uid, m))
RTMSW_SIG_CB(send_success, (rtm_sig_t *, const char *id, void *ud), S(ud)->onMessageSendSuccess(id))
RTMSW_SIG_CB(send_error, (rtm_sig_t *, const char *id, int e, void *ud), S(ud)->onMessageSendError(id, e))
RTMSW_SIG_CB(invite_received, (rtm_sig_t *, const char *c, const char *a, uint32_t uid, const char *x, void *ud),
             S(ud)->onInviteReceived(c, a, uid, x))
RTMSW_SIG_CB(invite_received_by_peer, (rtm_sig_t *, const char *c, const char *a, uint32_t uid, void *ud),
             S(ud)->onInviteReceivedByPeer(c, a, uid))
RTMSW_SIG_CB(invite_accepted, (rtm_sig_t *, const char *c, const char *a, uint32_t uid, const char *x, void *ud),
             S(ud)->onInviteAcceptedByPeer(c, a, uid, x))
RTMSW_SIG_CB(invite_refused, (rtm_sig_t *, const char *c, const char *a, uint32_t uid, const char *x, void *ud),
             S(ud)->onInviteRefusedByPeer(c, a, uid, x))
RTMSW_SIG_CB(invite_failed, (rtm_sig_t *, const char *c, const char *a, uint32_t uid, int e, const char *x, void *ud),
             S(ud)->onInviteFailed(c, a, uid, e, x))
RTMSW_SIG_CB(invite_end_by_peer, (rtm_sig_t *, const char *c, const char *a, uint32_t uid, const char *x, void *ud),
             S(ud)->onInviteEndByPeer(c, a, uid, x))
RTMSW_SIG_CB(invite_end_by_myself, (rtm_sig_t *, const char *c, const char *a, uint32_t uid, void *ud),
             S(ud)->onInviteEndByMyself(c, a, uid))
RTMSW_SIG_CB(invite_msg, (rtm_sig_t *, const char *c, const char *a, uint32_t uid, const char *t, const char *d,
                          const char *x, void *ud),
             S(ud)->onInviteMsg(c, a, uid, t, d, x))
RTMSW_SIG_CB(invoke_ret, (rtm_sig_t *, const char *id, int err, const char *resp, void *ud), S(ud)->onInvokeRet(id, err, resp))
RTMSW_SIG_CB(user_status, (rtm_sig_t *, const char *a, const char *s, void *ud), S(ud)->onQueryUserStatusResult(a, s))
RTMSW_SIG_CB(user_attr, (rtm_sig_t *, const char *a, const char *n, const char *v, void *ud), S(ud)->onUserAttrResult(a, n, v))
RTMSW_SIG_CB(user_attr_all, (rtm_sig_t *, const char *a, const char *j, void *ud), S(ud)->onUserAttrAllResult(a, j))
RTMSW_SIG_CB(error, (rtm_sig_t *, const char *n, int e, const char *d, void *ud), S(ud)->onError(n, e, d))
#undef RTMSW_SIG_CB

}  // namespace sigdetail
#endif  // SWIG

// Registers every ICallBack event of `listener` on `conf` and makes it the conf's user data (no
// destructor: the managed side owns it until rtm_sig_destroy has returned).
inline int32_t attach_signal_listener(rtm_conf_t *conf, SignalListener *listener) {
#ifndef SWIG
  using namespace sigdetail;
  int32_t rcs[] = {
      rtm_conf_set_sig_login_success_cb(conf, login_success),
      rtm_conf_set_sig_login_failed_cb(conf, login_failed),
      rtm_conf_set_sig_logout_cb(conf, logout),
      rtm_conf_set_sig_reconnecting_cb(conf, reconnecting),
      rtm_conf_set_sig_reconnected_cb(conf, reconnected),
      rtm_conf_set_sig_channel_joined_cb(conf, channel_joined),
      rtm_conf_set_sig_channel_join_failed_cb(conf, channel_join_failed),
      rtm_conf_set_sig_channel_leaved_cb(conf, channel_leaved),
      rtm_conf_set_sig_channel_user_joined_cb(conf, user_joined),
      rtm_conf_set_sig_channel_user_leaved_cb(conf, user_leaved),
      rtm_conf_set_sig_channel_user_list_cb(conf, user_list),
      rtm_conf_set_sig_channel_attr_updated_cb(conf, attr_updated),
      rtm_conf_set_sig_channel_query_user_num_result_cb(conf, user_num),
      rtm_conf_set_sig_channel_query_user_is_in_cb(conf, user_is_in),
      rtm_conf_set_sig_message_instant_receive_cb(conf, instant_receive),
      rtm_conf_set_sig_message_channel_receive_cb(conf, channel_receive),
      rtm_conf_set_sig_message_send_success_cb(conf, send_success),
      rtm_conf_set_sig_message_send_error_cb(conf, send_error),
      rtm_conf_set_sig_invite_received_cb(conf, invite_received),
      rtm_conf_set_sig_invite_received_by_peer_cb(conf, invite_received_by_peer),
      rtm_conf_set_sig_invite_accepted_by_peer_cb(conf, invite_accepted),
      rtm_conf_set_sig_invite_refused_by_peer_cb(conf, invite_refused),
      rtm_conf_set_sig_invite_failed_cb(conf, invite_failed),
      rtm_conf_set_sig_invite_end_by_peer_cb(conf, invite_end_by_peer),
      rtm_conf_set_sig_invite_end_by_myself_cb(conf, invite_end_by_myself),
      rtm_conf_set_sig_invite_msg_cb(conf, invite_msg),
      rtm_conf_set_sig_invoke_ret_cb(conf, invoke_ret),
      rtm_conf_set_sig_query_user_status_result_cb(conf, user_status),
      rtm_conf_set_sig_user_attr_result_cb(conf, user_attr),
      rtm_conf_set_sig_user_attr_all_result_cb(conf, user_attr_all),
      rtm_conf_set_sig_error_cb(conf, error),
  };
  for (int32_t rc : rcs)
    if (rc != RTM_OK) return rc;
  if (!listener) return RTM_ERR_INVALID_ARG;
  return rtm_conf_set_user_data(conf, listener, nullptr);
#else
  return 0;
#endif
}

inline rtm_sig_t *sig_new(rtm_conf_t *conf, int32_t *rc) {
  rtm_sig_t *s = nullptr;
  *rc = rtm_sig_new(&s, conf);
  return s;
}
inline Text token_build_signaling(const char *app_id, const char *cert, const char *account, uint32_t expired_ts) {
  return Text::read([&](char *b, size_t *n) { return rtm_token_build_signaling(b, n, app_id, cert, account, expired_ts); });
}

}  // namespace rtmsw

#endif  // RTMKIT_BINDINGS_SIGNAL_LISTENER_HPP
