// rtmkit — the C++ shim between the C ABI and the SWIG bindings (Java, C#). Header-only.
//
// SWIG wraps the C functions of capi/ directly; this header adds only what a C signature cannot
// express to a managed language:
//  - ClientListener: one virtual method per event. SWIG turns it into a director, which Java and C#
//    subclass. attach_listener() registers static C trampolines on the conf and passes the listener
//    as the conf's user data, so every event reaches the listener on the client's dispatcher thread.
//    A trampoline never lets an exception escape into the library.
//  - Borrowed views (StringList, StateList, IntList, AttributeList, ChannelAttributeList) that hand
//    a callback's arrays to the managed side, valid only during the callback.
//  - Builders (StringArray, AttributeArray) for the lists passed in, and one function per C function
//    that takes such a list.
//  - Functions returning a handle or a string instead of filling an output argument or a caller
//    buffer; their result code goes to the `rc` output argument.
//
// Nothing here keeps state between calls: lifetime and ownership rules are those of docs/c-api.md.
#ifndef RTMKIT_BINDINGS_LISTENER_HPP
#define RTMKIT_BINDINGS_LISTENER_HPP

#include <rtmkit/rtmkit.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace rtmsw {

// ---- borrowed views (valid during the callback that receives them) ------------------------------

class StringList {
 public:
  StringList(const char *const *items, size_t count) : items_(items), count_(count) {}
  size_t size() const { return count_; }
  const char *get(size_t i) const { return i < count_ && items_[i] ? items_[i] : ""; }

 private:
  const char *const *items_;
  size_t count_;
};

class StateList {
 public:
  StateList(const rtm_peer_online_state_t *items, size_t count) : items_(items), count_(count) {}
  size_t size() const { return count_; }
  int get(size_t i) const { return i < count_ ? static_cast<int>(items_[i]) : 0; }

 private:
  const rtm_peer_online_state_t *items_;
  size_t count_;
};

class IntList {
 public:
  IntList(const int *items, size_t count) : items_(items), count_(count) {}
  size_t size() const { return count_; }
  int get(size_t i) const { return i < count_ ? items_[i] : 0; }

 private:
  const int *items_;
  size_t count_;
};

class AttributeList {
 public:
  AttributeList(const rtm_attribute_t *items, size_t count) : items_(items), count_(count) {}
  size_t size() const { return count_; }
  const char *key(size_t i) const { return i < count_ && items_[i].key ? items_[i].key : ""; }
  const char *value(size_t i) const { return i < count_ && items_[i].value ? items_[i].value : ""; }

 private:
  const rtm_attribute_t *items_;
  size_t count_;
};

class ChannelAttributeList {
 public:
  ChannelAttributeList(const rtm_channel_attribute_t *items, size_t count) : items_(items), count_(count) {}
  size_t size() const { return count_; }
  const char *key(size_t i) const { return i < count_ && items_[i].key ? items_[i].key : ""; }
  const char *value(size_t i) const { return i < count_ && items_[i].value ? items_[i].value : ""; }
  const char *lastUpdateUserId(size_t i) const {
    return i < count_ && items_[i].last_update_user_id ? items_[i].last_update_user_id : "";
  }
  int64_t lastUpdateTs(size_t i) const { return i < count_ ? items_[i].last_update_ts : 0; }

 private:
  const rtm_channel_attribute_t *items_;
  size_t count_;
};

// ---- builders for lists passed in ---------------------------------------------------------------

class StringArray {
 public:
  void add(const char *s) { items_.emplace_back(s ? s : ""); }
  size_t size() const { return items_.size(); }
#ifndef SWIG
  std::vector<const char *> pointers() const {
    std::vector<const char *> p;
    p.reserve(items_.size());
    for (const auto &s : items_) p.push_back(s.c_str());
    return p;
  }
#endif

 private:
  std::vector<std::string> items_;
};

class AttributeArray {
 public:
  void add(const char *key, const char *value) { items_.emplace_back(key ? key : "", value ? value : ""); }
  size_t size() const { return items_.size(); }
#ifndef SWIG
  std::vector<rtm_attribute_t> attributes() const {
    std::vector<rtm_attribute_t> a;
    a.reserve(items_.size());
    for (const auto &kv : items_) a.push_back(rtm_attribute_t{kv.first.c_str(), kv.second.c_str()});
    return a;
  }
#endif

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// ---- the listener -------------------------------------------------------------------------------
// Channel events carry the channel key given to channel_create() (the channel's user data), which
// the managed side maps to its channel object. Invitation events carry the borrowed handle.

class ClientListener {
 public:
  virtual ~ClientListener() {}

  virtual void onThreadStart(const char *threadName) { (void)threadName; }
  virtual void onConnectionStateChanged(int state, int reason) { (void)state, (void)reason; }
  virtual void onLoginSuccess() {}
  virtual void onLoginFailure(int code) { (void)code; }
  virtual void onLogout(int code) { (void)code; }
  virtual void onRenewTokenResult(const char *token, int code) { (void)token, (void)code; }
  virtual void onTokenExpired() {}
  virtual void onTokenPrivilegeWillExpire() {}
  virtual void onSendMessageResult(int64_t messageId, int code) { (void)messageId, (void)code; }
  virtual void onMessageReceivedFromPeer(const char *peerId, const rtm_message_t *message) {
    (void)peerId, (void)message;
  }

  virtual void onChannelJoinSuccess(int64_t channelKey) { (void)channelKey; }
  virtual void onChannelJoinFailure(int64_t channelKey, int code) { (void)channelKey, (void)code; }
  virtual void onChannelLeave(int64_t channelKey, int code) { (void)channelKey, (void)code; }
  virtual void onChannelMessageReceived(int64_t channelKey, const char *memberId, const rtm_message_t *message) {
    (void)channelKey, (void)memberId, (void)message;
  }
  virtual void onChannelSendMessageResult(int64_t channelKey, int64_t messageId, int code) {
    (void)channelKey, (void)messageId, (void)code;
  }
  virtual void onChannelMemberJoined(int64_t channelKey, const char *memberId) { (void)channelKey, (void)memberId; }
  virtual void onChannelMemberLeft(int64_t channelKey, const char *memberId) { (void)channelKey, (void)memberId; }
  virtual void onChannelGetMembersResult(int64_t channelKey, const StringList &members, int code) {
    (void)channelKey, (void)members, (void)code;
  }
  virtual void onChannelMemberCountUpdated(int64_t channelKey, int count) { (void)channelKey, (void)count; }
  virtual void onChannelAttributesUpdated(int64_t channelKey, const ChannelAttributeList &attributes) {
    (void)channelKey, (void)attributes;
  }

  virtual void onQueryPeersOnlineStatusResult(int64_t requestId, const StringList &peers, const StateList &states,
                                              int code) {
    (void)requestId, (void)peers, (void)states, (void)code;
  }
  virtual void onSubscriptionRequestResult(int64_t requestId, int code) { (void)requestId, (void)code; }
  virtual void onQueryPeersBySubscriptionOptionResult(int64_t requestId, const StringList &peers, int code) {
    (void)requestId, (void)peers, (void)code;
  }
  virtual void onPeersOnlineStatusChanged(const StringList &peers, const StateList &states) {
    (void)peers, (void)states;
  }

  // every set / add_or_update / delete / clear result; `operation` tells which (see AttributeOp)
  virtual void onAttributeResult(int operation, int64_t requestId, int code) {
    (void)operation, (void)requestId, (void)code;
  }
  virtual void onGetUserAttributesResult(int64_t requestId, const char *userId, const AttributeList &attributes,
                                         int code) {
    (void)requestId, (void)userId, (void)attributes, (void)code;
  }
  virtual void onGetChannelAttributesResult(int64_t requestId, const ChannelAttributeList &attributes, int code) {
    (void)requestId, (void)attributes, (void)code;
  }
  virtual void onGetChannelMemberCountResult(int64_t requestId, const StringList &channelIds, const IntList &counts,
                                             int code) {
    (void)requestId, (void)channelIds, (void)counts, (void)code;
  }

  virtual void onLocalInvitationReceivedByPeer(rtm_local_invitation_t *invitation) { (void)invitation; }
  virtual void onLocalInvitationAccepted(rtm_local_invitation_t *invitation, const char *response) {
    (void)invitation, (void)response;
  }
  virtual void onLocalInvitationRefused(rtm_local_invitation_t *invitation, const char *response) {
    (void)invitation, (void)response;
  }
  virtual void onLocalInvitationCanceled(rtm_local_invitation_t *invitation) { (void)invitation; }
  virtual void onLocalInvitationFailure(rtm_local_invitation_t *invitation, int code) {
    (void)invitation, (void)code;
  }
  virtual void onRemoteInvitationReceived(rtm_remote_invitation_t *invitation) { (void)invitation; }
  virtual void onRemoteInvitationAccepted(rtm_remote_invitation_t *invitation) { (void)invitation; }
  virtual void onRemoteInvitationRefused(rtm_remote_invitation_t *invitation) { (void)invitation; }
  virtual void onRemoteInvitationCanceled(rtm_remote_invitation_t *invitation) { (void)invitation; }
  virtual void onRemoteInvitationFailure(rtm_remote_invitation_t *invitation, int code) {
    (void)invitation, (void)code;
  }
};

// The attribute operations reported through ClientListener::onAttributeResult.
enum AttributeOp {
  ATTR_SET_LOCAL_USER = 1,
  ATTR_ADD_OR_UPDATE_LOCAL_USER = 2,
  ATTR_DELETE_LOCAL_USER = 3,
  ATTR_CLEAR_LOCAL_USER = 4,
  ATTR_SET_CHANNEL = 5,
  ATTR_ADD_OR_UPDATE_CHANNEL = 6,
  ATTR_DELETE_CHANNEL = 7,
  ATTR_CLEAR_CHANNEL = 8
};

#ifndef SWIG
namespace detail {

inline ClientListener *L(void *ud) { return static_cast<ClientListener *>(ud); }
inline int64_t key(rtm_channel_t *ch) { return static_cast<int64_t>(reinterpret_cast<intptr_t>(rtm_channel_user_data(ch))); }

// Runs one upcall. The managed layers catch everything their users throw; this is the last line,
// for failures of the binding itself (a Java exception turned into Swig::DirectorException, an
// allocation failure): it is reported and the dispatcher goes on.
template <class F>
inline void guard(const char *event, F &&f) noexcept {
  try {
    f();
  } catch (const std::exception &e) {
    std::fprintf(stderr, "rtmkit binding: %s: callback failed: %s\n", event, e.what());
  } catch (...) {
    std::fprintf(stderr, "rtmkit binding: %s: callback failed\n", event);
  }
}

#define RTMSW_CB(name, params, call) \
  static void RTM_CALL name params noexcept { guard(#name, [&] { call; }); }

RTMSW_CB(thread_start, (rtm_client_t *, const char *n, void *ud), L(ud)->onThreadStart(n))
RTMSW_CB(state_changed, (rtm_client_t *, rtm_connection_state_t s, rtm_connection_change_reason_t r, void *ud),
         L(ud)->onConnectionStateChanged(s, r))
RTMSW_CB(login_success, (rtm_client_t *, void *ud), L(ud)->onLoginSuccess())
RTMSW_CB(login_failure, (rtm_client_t *, rtm_login_err_t c, void *ud), L(ud)->onLoginFailure(c))
RTMSW_CB(logout, (rtm_client_t *, rtm_logout_err_t c, void *ud), L(ud)->onLogout(c))
RTMSW_CB(renew, (rtm_client_t *, const char *t, rtm_renew_token_err_t c, void *ud), L(ud)->onRenewTokenResult(t, c))
RTMSW_CB(token_expired, (rtm_client_t *, void *ud), L(ud)->onTokenExpired())
RTMSW_CB(token_will_expire, (rtm_client_t *, void *ud), L(ud)->onTokenPrivilegeWillExpire())
RTMSW_CB(send_result, (rtm_client_t *, int64_t id, rtm_peer_message_err_t c, void *ud), L(ud)->onSendMessageResult(id, c))
RTMSW_CB(peer_message, (rtm_client_t *, const char *p, const rtm_message_t *m, void *ud),
         L(ud)->onMessageReceivedFromPeer(p, m))

RTMSW_CB(ch_join_success, (rtm_client_t *, rtm_channel_t *ch, void *ud), L(ud)->onChannelJoinSuccess(key(ch)))
RTMSW_CB(ch_join_failure, (rtm_client_t *, rtm_channel_t *ch, rtm_join_channel_err_t c, void *ud),
         L(ud)->onChannelJoinFailure(key(ch), c))
RTMSW_CB(ch_leave, (rtm_client_t *, rtm_channel_t *ch, rtm_leave_channel_err_t c, void *ud),
         L(ud)->onChannelLeave(key(ch), c))
RTMSW_CB(ch_message, (rtm_client_t *, rtm_channel_t *ch, const char *m, const rtm_message_t *msg, void *ud),
         L(ud)->onChannelMessageReceived(key(ch), m, msg))
RTMSW_CB(ch_send_result, (rtm_client_t *, rtm_channel_t *ch, int64_t id, rtm_channel_message_err_t c, void *ud),
         L(ud)->onChannelSendMessageResult(key(ch), id, c))
RTMSW_CB(ch_member_joined, (rtm_client_t *, rtm_channel_t *ch, const char *m, void *ud),
         L(ud)->onChannelMemberJoined(key(ch), m))
RTMSW_CB(ch_member_left, (rtm_client_t *, rtm_channel_t *ch, const char *m, void *ud),
         L(ud)->onChannelMemberLeft(key(ch), m))
RTMSW_CB(ch_members, (rtm_client_t *, rtm_channel_t *ch, const char *const *ids, size_t n, rtm_get_members_err_t c,
                      void *ud),
         L(ud)->onChannelGetMembersResult(key(ch), StringList(ids, n), c))
RTMSW_CB(ch_count, (rtm_client_t *, rtm_channel_t *ch, int n, void *ud), L(ud)->onChannelMemberCountUpdated(key(ch), n))
RTMSW_CB(ch_attrs, (rtm_client_t *, rtm_channel_t *ch, const rtm_channel_attribute_t *a, size_t n, void *ud),
         L(ud)->onChannelAttributesUpdated(key(ch), ChannelAttributeList(a, n)))

RTMSW_CB(query_online, (rtm_client_t *, int64_t id, const char *const *p, const rtm_peer_online_state_t *s, size_t n,
                        rtm_query_peers_online_status_err_t c, void *ud),
         L(ud)->onQueryPeersOnlineStatusResult(id, StringList(p, n), StateList(s, n), c))
RTMSW_CB(subscription, (rtm_client_t *, int64_t id, rtm_peer_subscription_status_err_t c, void *ud),
         L(ud)->onSubscriptionRequestResult(id, c))
RTMSW_CB(query_by_option, (rtm_client_t *, int64_t id, const char *const *p, size_t n,
                           rtm_query_peers_by_subscription_option_err_t c, void *ud),
         L(ud)->onQueryPeersBySubscriptionOptionResult(id, StringList(p, n), c))
RTMSW_CB(online_changed, (rtm_client_t *, const char *const *p, const rtm_peer_online_state_t *s, size_t n, void *ud),
         L(ud)->onPeersOnlineStatusChanged(StringList(p, n), StateList(s, n)))

#define RTMSW_ATTR_CB(name, op)                                                                   \
  RTMSW_CB(name, (rtm_client_t *, int64_t id, rtm_attribute_operation_err_t c, void *ud), \
           L(ud)->onAttributeResult(op, id, c))
RTMSW_ATTR_CB(attr_set_local, ATTR_SET_LOCAL_USER)
RTMSW_ATTR_CB(attr_add_local, ATTR_ADD_OR_UPDATE_LOCAL_USER)
RTMSW_ATTR_CB(attr_delete_local, ATTR_DELETE_LOCAL_USER)
RTMSW_ATTR_CB(attr_clear_local, ATTR_CLEAR_LOCAL_USER)
RTMSW_ATTR_CB(attr_set_channel, ATTR_SET_CHANNEL)
RTMSW_ATTR_CB(attr_add_channel, ATTR_ADD_OR_UPDATE_CHANNEL)
RTMSW_ATTR_CB(attr_delete_channel, ATTR_DELETE_CHANNEL)
RTMSW_ATTR_CB(attr_clear_channel, ATTR_CLEAR_CHANNEL)
#undef RTMSW_ATTR_CB
RTMSW_CB(get_user_attrs, (rtm_client_t *, int64_t id, const char *u, const rtm_attribute_t *a, size_t n,
                          rtm_attribute_operation_err_t c, void *ud),
         L(ud)->onGetUserAttributesResult(id, u, AttributeList(a, n), c))
RTMSW_CB(get_channel_attrs, (rtm_client_t *, int64_t id, const rtm_channel_attribute_t *a, size_t n,
                             rtm_attribute_operation_err_t c, void *ud),
         L(ud)->onGetChannelAttributesResult(id, ChannelAttributeList(a, n), c))
RTMSW_CB(member_count, (rtm_client_t *, int64_t id, const char *const *ids, const int *counts, size_t n,
                        rtm_get_channel_member_count_err_t c, void *ud),
         L(ud)->onGetChannelMemberCountResult(id, StringList(ids, n), IntList(counts, n), c))

RTMSW_CB(li_received, (rtm_client_t *, rtm_local_invitation_t *i, void *ud), L(ud)->onLocalInvitationReceivedByPeer(i))
RTMSW_CB(li_accepted, (rtm_client_t *, rtm_local_invitation_t *i, const char *r, void *ud),
         L(ud)->onLocalInvitationAccepted(i, r))
RTMSW_CB(li_refused, (rtm_client_t *, rtm_local_invitation_t *i, const char *r, void *ud),
         L(ud)->onLocalInvitationRefused(i, r))
RTMSW_CB(li_canceled, (rtm_client_t *, rtm_local_invitation_t *i, void *ud), L(ud)->onLocalInvitationCanceled(i))
RTMSW_CB(li_failure, (rtm_client_t *, rtm_local_invitation_t *i, rtm_local_invitation_err_t c, void *ud),
         L(ud)->onLocalInvitationFailure(i, c))
RTMSW_CB(ri_received, (rtm_client_t *, rtm_remote_invitation_t *i, void *ud), L(ud)->onRemoteInvitationReceived(i))
RTMSW_CB(ri_accepted, (rtm_client_t *, rtm_remote_invitation_t *i, void *ud), L(ud)->onRemoteInvitationAccepted(i))
RTMSW_CB(ri_refused, (rtm_client_t *, rtm_remote_invitation_t *i, void *ud), L(ud)->onRemoteInvitationRefused(i))
RTMSW_CB(ri_canceled, (rtm_client_t *, rtm_remote_invitation_t *i, void *ud), L(ud)->onRemoteInvitationCanceled(i))
RTMSW_CB(ri_failure, (rtm_client_t *, rtm_remote_invitation_t *i, rtm_remote_invitation_err_t c, void *ud),
         L(ud)->onRemoteInvitationFailure(i, c))
#undef RTMSW_CB

}  // namespace detail
#endif  // SWIG

// Registers every event of `listener` on `conf` and makes it the conf's user data (no destructor:
// the managed side owns the listener and keeps it alive until rtm_client_destroy has returned, or
// until it destroys the conf itself). Returns the first failing setter's code, else RTM_OK.
inline int32_t attach_listener(rtm_conf_t *conf, ClientListener *listener) {
#ifndef SWIG
  using namespace detail;
  int32_t rcs[] = {
      rtm_conf_set_thread_start_cb(conf, thread_start),
      rtm_conf_set_connection_state_changed_cb(conf, state_changed),
      rtm_conf_set_login_success_cb(conf, login_success),
      rtm_conf_set_login_failure_cb(conf, login_failure),
      rtm_conf_set_logout_cb(conf, logout),
      rtm_conf_set_renew_token_result_cb(conf, renew),
      rtm_conf_set_token_expired_cb(conf, token_expired),
      rtm_conf_set_token_privilege_will_expire_cb(conf, token_will_expire),
      rtm_conf_set_send_message_result_cb(conf, send_result),
      rtm_conf_set_message_received_from_peer_cb(conf, peer_message),
      rtm_conf_set_channel_join_success_cb(conf, ch_join_success),
      rtm_conf_set_channel_join_failure_cb(conf, ch_join_failure),
      rtm_conf_set_channel_leave_cb(conf, ch_leave),
      rtm_conf_set_channel_message_received_cb(conf, ch_message),
      rtm_conf_set_channel_send_message_result_cb(conf, ch_send_result),
      rtm_conf_set_channel_member_joined_cb(conf, ch_member_joined),
      rtm_conf_set_channel_member_left_cb(conf, ch_member_left),
      rtm_conf_set_channel_get_members_result_cb(conf, ch_members),
      rtm_conf_set_channel_member_count_updated_cb(conf, ch_count),
      rtm_conf_set_channel_attributes_updated_cb(conf, ch_attrs),
      rtm_conf_set_query_peers_online_status_result_cb(conf, query_online),
      rtm_conf_set_subscription_request_result_cb(conf, subscription),
      rtm_conf_set_query_peers_by_subscription_option_result_cb(conf, query_by_option),
      rtm_conf_set_peers_online_status_changed_cb(conf, online_changed),
      rtm_conf_set_set_local_user_attributes_result_cb(conf, attr_set_local),
      rtm_conf_set_add_or_update_local_user_attributes_result_cb(conf, attr_add_local),
      rtm_conf_set_delete_local_user_attributes_result_cb(conf, attr_delete_local),
      rtm_conf_set_clear_local_user_attributes_result_cb(conf, attr_clear_local),
      rtm_conf_set_set_channel_attributes_result_cb(conf, attr_set_channel),
      rtm_conf_set_add_or_update_channel_attributes_result_cb(conf, attr_add_channel),
      rtm_conf_set_delete_channel_attributes_result_cb(conf, attr_delete_channel),
      rtm_conf_set_clear_channel_attributes_result_cb(conf, attr_clear_channel),
      rtm_conf_set_get_user_attributes_result_cb(conf, get_user_attrs),
      rtm_conf_set_get_channel_attributes_result_cb(conf, get_channel_attrs),
      rtm_conf_set_get_channel_member_count_result_cb(conf, member_count),
      rtm_conf_set_local_invitation_received_by_peer_cb(conf, li_received),
      rtm_conf_set_local_invitation_accepted_cb(conf, li_accepted),
      rtm_conf_set_local_invitation_refused_cb(conf, li_refused),
      rtm_conf_set_local_invitation_canceled_cb(conf, li_canceled),
      rtm_conf_set_local_invitation_failure_cb(conf, li_failure),
      rtm_conf_set_remote_invitation_received_cb(conf, ri_received),
      rtm_conf_set_remote_invitation_accepted_cb(conf, ri_accepted),
      rtm_conf_set_remote_invitation_refused_cb(conf, ri_refused),
      rtm_conf_set_remote_invitation_canceled_cb(conf, ri_canceled),
      rtm_conf_set_remote_invitation_failure_cb(conf, ri_failure),
  };
  for (int32_t rc : rcs)
    if (rc != RTM_OK) return rc;
  if (!listener) return RTM_ERR_INVALID_ARG;
  return rtm_conf_set_user_data(conf, listener, nullptr);
#else
  return 0;
#endif
}

// ---- handles and strings returned by value (result code in `rc`) -------------------------------

inline rtm_conf_t *conf_new(int32_t *rc) {
  rtm_conf_t *c = nullptr;
  *rc = rtm_conf_new(&c);
  return c;
}
inline int32_t conf_set(rtm_conf_t *conf, const char *key, const char *value) {
  return rtm_conf_set(conf, key, value, nullptr, 0);
}
inline rtm_client_t *client_new(rtm_conf_t *conf, int32_t *rc) {
  rtm_client_t *c = nullptr;
  *rc = rtm_client_new(&c, conf);
  return c;
}
inline rtm_message_t *message_new_text(const char *text, int32_t *rc) {
  rtm_message_t *m = nullptr;
  *rc = rtm_message_new_text(&m, text);
  return m;
}
inline rtm_message_t *message_new_raw(const void *data, size_t len, int32_t *rc) {
  rtm_message_t *m = nullptr;
  *rc = rtm_message_new_raw(&m, data, len);
  return m;
}
// The payload of a RAW message: copies up to `capacity` bytes into `buf`, returns the full length.
inline size_t message_raw_copy(const rtm_message_t *message, void *buf, size_t capacity) {
  size_t len = 0;
  const void *p = rtm_message_raw(message, &len);
  if (buf && p && len) std::memcpy(buf, p, len < capacity ? len : capacity);
  return len;
}
inline size_t message_raw_size(const rtm_message_t *message) {
  size_t len = 0;
  rtm_message_raw(message, &len);
  return len;
}
inline const char *message_text(const rtm_message_t *message) { return rtm_message_text(message, nullptr); }

#ifndef SWIG
inline rtm_send_options_t send_options(int offline, int historical) {
  rtm_send_options_t o = RTM_SEND_OPTIONS_INIT;
  o.enable_offline_messaging = offline;
  o.enable_historical_messaging = historical;
  return o;
}
#endif

// send options: 0 or 1 each
inline int32_t send_message_to_peer(int64_t *out_message_id, rtm_client_t *client, const char *peer_id,
                                    const rtm_message_t *message, int offline, int historical) {
  rtm_send_options_t o = send_options(offline, historical);
  return rtm_client_send_message_to_peer(out_message_id, client, peer_id, message, &o);
}
inline int32_t channel_send_message(int64_t *out_message_id, rtm_channel_t *channel, const rtm_message_t *message,
                                    int offline, int historical) {
  rtm_send_options_t o = send_options(offline, historical);
  return rtm_channel_send_message(out_message_id, channel, message, &o);
}

inline rtm_channel_t *channel_create(rtm_client_t *client, const char *channel_id, int64_t channel_key, int32_t *rc) {
  rtm_channel_t *ch = nullptr;
  *rc = rtm_client_create_channel(&ch, client, channel_id, reinterpret_cast<void *>(static_cast<intptr_t>(channel_key)));
  return ch;
}
inline rtm_local_invitation_t *local_invitation_create(rtm_client_t *client, const char *callee_id, int32_t *rc) {
  rtm_local_invitation_t *i = nullptr;
  *rc = rtm_client_create_local_invitation(&i, client, callee_id);
  return i;
}
inline rtm_local_invitation_t *local_invitation_copy(const rtm_local_invitation_t *inv, int32_t *rc) {
  rtm_local_invitation_t *i = nullptr;
  *rc = rtm_local_invitation_copy(&i, inv);
  return i;
}
inline rtm_remote_invitation_t *remote_invitation_copy(const rtm_remote_invitation_t *inv, int32_t *rc) {
  rtm_remote_invitation_t *i = nullptr;
  *rc = rtm_remote_invitation_copy(&i, inv);
  return i;
}
inline rtm_server_conf_t *server_conf_new(int32_t *rc) {
  rtm_server_conf_t *c = nullptr;
  *rc = rtm_server_conf_new(&c);
  return c;
}
inline int32_t server_conf_set(rtm_server_conf_t *conf, const char *key, const char *value) {
  return rtm_server_conf_set(conf, key, value, nullptr, 0);
}
inline rtm_server_t *server_new(rtm_server_conf_t *conf, int32_t *rc) {
  rtm_server_t *s = nullptr;
  *rc = rtm_server_new(&s, conf);
  return s;
}

// A string read through the caller-buffer protocol of the C API, or produced by it.
class Text {
 public:
  Text() : code_(RTM_OK) {}
  int32_t code() const { return code_; }
  const char *value() const { return value_.c_str(); }
#ifndef SWIG
  // calls read(buf, &size) with the size protocol of rtm_conf_get
  template <class F>
  static Text read(F &&f) {
    Text t;
    size_t size = 0;
    t.code_ = f(nullptr, &size);
    if (t.code_ == RTM_ERR_BUFFER_TOO_SMALL) {
      std::vector<char> buf(size + 1);
      size = buf.size();
      t.code_ = f(buf.data(), &size);
      if (t.code_ == RTM_OK) t.value_.assign(buf.data());
    }
    return t;
  }
  static Text owned(int32_t code, char *s) {
    Text t;
    t.code_ = code;
    if (s) t.value_ = s;
    rtm_free(s);
    return t;
  }
#endif

 private:
  int32_t code_;
  std::string value_;
};

inline Text conf_get(const rtm_conf_t *conf, const char *key) {
  return Text::read([&](char *b, size_t *n) { return rtm_conf_get(b, n, conf, key); });
}
inline Text server_conf_get(const rtm_server_conf_t *conf, const char *key) {
  return Text::read([&](char *b, size_t *n) { return rtm_server_conf_get(b, n, conf, key); });
}
inline Text client_user_id(const rtm_client_t *client) {
  return Text::read([&](char *b, size_t *n) { return rtm_client_user_id(b, n, client); });
}
inline Text local_invitation_content(const rtm_local_invitation_t *inv) {
  return Text::read([&](char *b, size_t *n) { return rtm_local_invitation_content(b, n, inv); });
}
inline Text local_invitation_channel_id(const rtm_local_invitation_t *inv) {
  return Text::read([&](char *b, size_t *n) { return rtm_local_invitation_channel_id(b, n, inv); });
}
inline Text local_invitation_response(const rtm_local_invitation_t *inv) {
  return Text::read([&](char *b, size_t *n) { return rtm_local_invitation_response(b, n, inv); });
}
inline Text remote_invitation_response(const rtm_remote_invitation_t *inv) {
  return Text::read([&](char *b, size_t *n) { return rtm_remote_invitation_response(b, n, inv); });
}
inline Text token_build_007(const char *app_id, const char *cert, const char *user_id, uint32_t expire_seconds) {
  char *out = nullptr;
  int32_t rc = rtm_token_build_007(&out, app_id, cert, user_id, expire_seconds);
  return Text::owned(rc, out);
}
inline Text token_build_006(const char *app_id, const char *cert, const char *user_id) {
  char *out = nullptr;
  int32_t rc = rtm_token_build_006(&out, app_id, cert, user_id);
  return Text::owned(rc, out);
}

// ---- operations taking lists -------------------------------------------------------------------

inline int32_t query_peers_online_status(int64_t *out_request_id, rtm_client_t *client, const StringArray &peers) {
  auto p = peers.pointers();
  return rtm_client_query_peers_online_status(out_request_id, client, p.data(), p.size());
}
inline int32_t subscribe_peers_online_status(int64_t *out_request_id, rtm_client_t *client, const StringArray &peers) {
  auto p = peers.pointers();
  return rtm_client_subscribe_peers_online_status(out_request_id, client, p.data(), p.size());
}
inline int32_t unsubscribe_peers_online_status(int64_t *out_request_id, rtm_client_t *client,
                                               const StringArray &peers) {
  auto p = peers.pointers();
  return rtm_client_unsubscribe_peers_online_status(out_request_id, client, p.data(), p.size());
}
inline int32_t set_local_user_attributes(int64_t *out_request_id, rtm_client_t *client, const AttributeArray &attrs) {
  auto a = attrs.attributes();
  return rtm_client_set_local_user_attributes(out_request_id, client, a.data(), a.size());
}
inline int32_t add_or_update_local_user_attributes(int64_t *out_request_id, rtm_client_t *client,
                                                   const AttributeArray &attrs) {
  auto a = attrs.attributes();
  return rtm_client_add_or_update_local_user_attributes(out_request_id, client, a.data(), a.size());
}
inline int32_t delete_local_user_attributes_by_keys(int64_t *out_request_id, rtm_client_t *client,
                                                    const StringArray &keys) {
  auto k = keys.pointers();
  return rtm_client_delete_local_user_attributes_by_keys(out_request_id, client, k.data(), k.size());
}
inline int32_t get_user_attributes_by_keys(int64_t *out_request_id, rtm_client_t *client, const char *user_id,
                                           const StringArray &keys) {
  auto k = keys.pointers();
  return rtm_client_get_user_attributes_by_keys(out_request_id, client, user_id, k.data(), k.size());
}

#ifndef SWIG
inline rtm_channel_attribute_options_t channel_options(int notify) {
  rtm_channel_attribute_options_t o = RTM_CHANNEL_ATTRIBUTE_OPTIONS_INIT;
  o.enable_notification_to_channel_members = notify;
  return o;
}
#endif

inline int32_t set_channel_attributes(int64_t *out_request_id, rtm_client_t *client, const char *channel_id,
                                      const AttributeArray &attrs, int notify) {
  auto a = attrs.attributes();
  auto o = channel_options(notify);
  return rtm_client_set_channel_attributes(out_request_id, client, channel_id, a.data(), a.size(), &o);
}
inline int32_t add_or_update_channel_attributes(int64_t *out_request_id, rtm_client_t *client,
                                                const char *channel_id, const AttributeArray &attrs, int notify) {
  auto a = attrs.attributes();
  auto o = channel_options(notify);
  return rtm_client_add_or_update_channel_attributes(out_request_id, client, channel_id, a.data(), a.size(), &o);
}
inline int32_t delete_channel_attributes_by_keys(int64_t *out_request_id, rtm_client_t *client,
                                                 const char *channel_id, const StringArray &keys, int notify) {
  auto k = keys.pointers();
  auto o = channel_options(notify);
  return rtm_client_delete_channel_attributes_by_keys(out_request_id, client, channel_id, k.data(), k.size(), &o);
}
inline int32_t clear_channel_attributes(int64_t *out_request_id, rtm_client_t *client, const char *channel_id,
                                        int notify) {
  auto o = channel_options(notify);
  return rtm_client_clear_channel_attributes(out_request_id, client, channel_id, &o);
}
inline int32_t get_channel_attributes_by_keys(int64_t *out_request_id, rtm_client_t *client, const char *channel_id,
                                              const StringArray &keys) {
  auto k = keys.pointers();
  return rtm_client_get_channel_attributes_by_keys(out_request_id, client, channel_id, k.data(), k.size());
}
inline int32_t get_channel_member_count(int64_t *out_request_id, rtm_client_t *client, const StringArray &channels) {
  auto c = channels.pointers();
  return rtm_client_get_channel_member_count(out_request_id, client, c.data(), c.size());
}

// The compatibility check of the headers the binding was compiled with against the loaded library.
inline int32_t check_compat() { return rtm_check_compat(); }

}  // namespace rtmsw

#endif  // RTMKIT_BINDINGS_LISTENER_HPP
