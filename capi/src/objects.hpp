// The structs behind the opaque handles of the C API (internal).
//
// The public headers only declare `struct rtm_client_s` and friends; they are never defined. The
// objects are rtmc::Client, rtmc::Conf, ... and the handles are the same pointers, converted with
// impl() / handle(). The library's debug information therefore describes the handles as opaque, and
// the ABI baseline (abidw) contains the public types only.
#pragma once
#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "capi/src/shim.hpp"
#include "core/client/client.hpp"
#include "core/common/log.hpp"
#include "core/server/server.hpp"

namespace rtmc {

// A message: either owns its rtm::Message or borrows one for the duration of a callback.
struct Message {
  rtm::Message own;
  const rtm::Message* m;

  Message() noexcept : m(&own) {}
  explicit Message(const rtm::Message* borrowed) noexcept : m(borrowed) {}
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;
};

struct Callbacks {
  rtm_connection_state_changed_cb connection_state_changed = nullptr;
  rtm_login_success_cb login_success = nullptr;
  rtm_login_failure_cb login_failure = nullptr;
  rtm_logout_cb logout = nullptr;
  rtm_renew_token_result_cb renew_token_result = nullptr;
  rtm_token_expired_cb token_expired = nullptr;
  rtm_token_privilege_will_expire_cb token_privilege_will_expire = nullptr;
  rtm_send_message_result_cb send_message_result = nullptr;
  rtm_message_received_from_peer_cb message_received_from_peer = nullptr;
  rtm_thread_start_cb thread_start = nullptr;
  // Channels (0.2).
  rtm_channel_join_success_cb channel_join_success = nullptr;
  rtm_channel_join_failure_cb channel_join_failure = nullptr;
  rtm_channel_leave_cb channel_leave = nullptr;
  rtm_channel_message_received_cb channel_message_received = nullptr;
  rtm_channel_send_message_result_cb channel_send_message_result = nullptr;
  rtm_channel_member_joined_cb channel_member_joined = nullptr;
  rtm_channel_member_left_cb channel_member_left = nullptr;
  rtm_channel_get_members_result_cb channel_get_members_result = nullptr;
  rtm_channel_member_count_updated_cb channel_member_count_updated = nullptr;
  // Presence, attributes, member counts (0.2).
  rtm_query_peers_online_status_result_cb query_peers_online_status_result = nullptr;
  rtm_subscription_request_result_cb subscription_request_result = nullptr;
  rtm_query_peers_by_subscription_option_result_cb query_peers_by_subscription_option_result = nullptr;
  rtm_peers_online_status_changed_cb peers_online_status_changed = nullptr;
  rtm_attribute_result_cb set_local_user_attributes_result = nullptr;
  rtm_attribute_result_cb add_or_update_local_user_attributes_result = nullptr;
  rtm_attribute_result_cb delete_local_user_attributes_result = nullptr;
  rtm_attribute_result_cb clear_local_user_attributes_result = nullptr;
  rtm_get_user_attributes_result_cb get_user_attributes_result = nullptr;
  rtm_attribute_result_cb set_channel_attributes_result = nullptr;
  rtm_attribute_result_cb add_or_update_channel_attributes_result = nullptr;
  rtm_attribute_result_cb delete_channel_attributes_result = nullptr;
  rtm_attribute_result_cb clear_channel_attributes_result = nullptr;
  rtm_get_channel_attributes_result_cb get_channel_attributes_result = nullptr;
  rtm_get_channel_member_count_result_cb get_channel_member_count_result = nullptr;
  rtm_channel_attributes_updated_cb channel_attributes_updated = nullptr;
  // Invitations (0.2).
  rtm_local_invitation_received_by_peer_cb local_invitation_received_by_peer = nullptr;
  rtm_local_invitation_accepted_cb local_invitation_accepted = nullptr;
  rtm_local_invitation_refused_cb local_invitation_refused = nullptr;
  rtm_local_invitation_canceled_cb local_invitation_canceled = nullptr;
  rtm_local_invitation_failure_cb local_invitation_failure = nullptr;
  rtm_remote_invitation_received_cb remote_invitation_received = nullptr;
  rtm_remote_invitation_accepted_cb remote_invitation_accepted = nullptr;
  rtm_remote_invitation_refused_cb remote_invitation_refused = nullptr;
  rtm_remote_invitation_canceled_cb remote_invitation_canceled = nullptr;
  rtm_remote_invitation_failure_cb remote_invitation_failure = nullptr;
};

// The callbacks of a Signal instance (signaling.h), kept on the same conf.
struct SigCallbacks {
  rtm_sig_login_success_cb login_success = nullptr;
  rtm_sig_ecode_cb login_failed = nullptr;
  rtm_sig_ecode_cb logout = nullptr;
  rtm_sig_reconnecting_cb reconnecting = nullptr;
  rtm_sig_reconnected_cb reconnected = nullptr;
  rtm_sig_channel_cb channel_joined = nullptr;
  rtm_sig_channel_ecode_cb channel_join_failed = nullptr;
  rtm_sig_channel_ecode_cb channel_leaved = nullptr;
  rtm_sig_channel_user_cb channel_user_joined = nullptr;
  rtm_sig_channel_user_cb channel_user_leaved = nullptr;
  rtm_sig_channel_user_list_cb channel_user_list = nullptr;
  rtm_sig_channel_attr_updated_cb channel_attr_updated = nullptr;
  rtm_sig_channel_query_user_num_result_cb channel_query_user_num_result = nullptr;
  rtm_sig_channel_query_user_is_in_cb channel_query_user_is_in = nullptr;
  rtm_sig_message_instant_receive_cb message_instant_receive = nullptr;
  rtm_sig_message_channel_receive_cb message_channel_receive = nullptr;
  rtm_sig_message_send_success_cb message_send_success = nullptr;
  rtm_sig_message_send_error_cb message_send_error = nullptr;
  rtm_sig_invite_extra_cb invite_received = nullptr;
  rtm_sig_invite_cb invite_received_by_peer = nullptr;
  rtm_sig_invite_extra_cb invite_accepted_by_peer = nullptr;
  rtm_sig_invite_extra_cb invite_refused_by_peer = nullptr;
  rtm_sig_invite_failed_cb invite_failed = nullptr;
  rtm_sig_invite_extra_cb invite_end_by_peer = nullptr;
  rtm_sig_invite_cb invite_end_by_myself = nullptr;
  rtm_sig_invite_msg_cb invite_msg = nullptr;
  rtm_sig_invoke_ret_cb invoke_ret = nullptr;
  rtm_sig_query_user_status_result_cb query_user_status_result = nullptr;
  rtm_sig_user_attr_result_cb user_attr_result = nullptr;
  rtm_sig_user_attr_all_result_cb user_attr_all_result = nullptr;
  rtm_sig_error_cb error = nullptr;
};

// The user data and its destructor; whoever holds it calls the destructor exactly once.
struct UserData {
  void* data = nullptr;
  rtm_user_data_free_cb free_fn = nullptr;

  UserData() = default;
  UserData(const UserData&) = delete;
  UserData& operator=(const UserData&) = delete;
  ~UserData() { release(); }
  void release() noexcept {
    auto f = free_fn;
    void* d = data;
    free_fn = nullptr;
    data = nullptr;
    if (f) f(d);
  }
};

struct Conf {
  rtm::ClientConfig cfg;
  bool poll_mode = false;
  Callbacks cb;
  SigCallbacks sig;
  UserData ud;
};

// A client: the C++ engine (always in poll mode underneath) plus the dispatcher the C API runs on top
// of it. The struct itself is the engine's EventHandler, so every event goes through one of the
// trampolines below, which invoke the C callback with the CallbackScope that makes a destroy from
// inside the callback detectable.
struct Client;

// A channel: the engine's rtm::Channel plus the trampolines of its events. Owned by its client, from
// rtm_client_create_channel until rtm_client_destroy: rtm_channel_destroy only marks it `closed` (no
// callback starts afterwards) and leaves the channel, so that an event already queued for it never
// finds a freed handler, and a later rtm_client_create_channel with the same id reopens it.
struct Channel final : rtm::ChannelEventHandler {
  Client* client = nullptr;
  std::string id;
  std::atomic<void*> ud{nullptr};
  std::atomic<bool> closed{false};
  std::shared_ptr<rtm::Channel> core;

  void on_join_success() noexcept override;
  void on_join_failure(rtm::JoinChannelErr e) noexcept override;
  void on_leave(rtm::LeaveChannelErr e) noexcept override;
  void on_message_received(const std::string& member_id, const rtm::Message& m) noexcept override;
  void on_send_message_result(int64_t message_id, rtm::ChannelMessageErr e) noexcept override;
  void on_member_joined(const std::string& member_id) noexcept override;
  void on_member_left(const std::string& member_id) noexcept override;
  void on_get_members(const std::vector<std::string>& member_ids, rtm::GetMembersErr e) noexcept override;
  void on_member_count_updated(int count) noexcept override;
  void on_attributes_updated(const std::vector<rtm::ChannelAttribute>& attributes) noexcept override;
};

struct Client final : rtm::EventHandler {
  Callbacks cb;
  UserData ud;
  bool poll_mode = false;

  std::atomic<bool> closing{false};  // set by destroy: no callback starts afterwards
  std::mutex mu;
  std::condition_variable cv;
  bool polling = false;              // a thread is inside rtm_client_poll

  std::unique_ptr<rtm::Client> core;
  std::thread thread;                // the dispatcher thread in thread mode
  std::map<std::string, std::unique_ptr<Channel>> channels;  // by id, under mu (see Channel)

  void on_connection_state_changed(rtm::ConnectionState s, rtm::ConnectionChangeReason r) noexcept override;
  void on_login_success() noexcept override;
  void on_login_failure(rtm::LoginErr e) noexcept override;
  void on_logout(rtm::LogoutErr e) noexcept override;
  void on_renew_token_result(const std::string& token, rtm::RenewTokenErr e) noexcept override;
  void on_token_expired() noexcept override;
  void on_token_privilege_will_expire() noexcept override;
  void on_send_message_result(int64_t message_id, rtm::PeerMessageErr e) noexcept override;
  void on_message_received_from_peer(const std::string& peer_id, const rtm::Message& m) noexcept override;
  // Presence (presence.cpp).
  void on_query_peers_online_status_result(int64_t request_id, const std::vector<rtm::PeerOnlineStatus>& s,
                                           rtm::QueryPeersOnlineStatusErr e) noexcept override;
  void on_subscription_request_result(int64_t request_id, rtm::PeerSubscriptionStatusErr e) noexcept override;
  void on_query_peers_by_subscription_option_result(int64_t request_id, const std::vector<std::string>& peer_ids,
                                                    rtm::QueryPeersBySubscriptionOptionErr e) noexcept override;
  void on_peers_online_status_changed(const std::vector<rtm::PeerOnlineStatus>& s) noexcept override;
  // Attributes and member counts (presence.cpp).
  void on_set_local_user_attributes_result(int64_t request_id, rtm::AttributeOperationErr e) noexcept override;
  void on_add_or_update_local_user_attributes_result(int64_t request_id, rtm::AttributeOperationErr e) noexcept override;
  void on_delete_local_user_attributes_result(int64_t request_id, rtm::AttributeOperationErr e) noexcept override;
  void on_clear_local_user_attributes_result(int64_t request_id, rtm::AttributeOperationErr e) noexcept override;
  void on_get_user_attributes_result(int64_t request_id, const std::string& user_id,
                                     const std::vector<rtm::Attribute>& attributes,
                                     rtm::AttributeOperationErr e) noexcept override;
  void on_set_channel_attributes_result(int64_t request_id, rtm::AttributeOperationErr e) noexcept override;
  void on_add_or_update_channel_attributes_result(int64_t request_id, rtm::AttributeOperationErr e) noexcept override;
  void on_delete_channel_attributes_result(int64_t request_id, rtm::AttributeOperationErr e) noexcept override;
  void on_clear_channel_attributes_result(int64_t request_id, rtm::AttributeOperationErr e) noexcept override;
  void on_get_channel_attributes_result(int64_t request_id, const std::vector<rtm::ChannelAttribute>& attributes,
                                        rtm::AttributeOperationErr e) noexcept override;
  void on_get_channel_member_count_result(int64_t request_id, const std::vector<rtm::ChannelMemberCount>& counts,
                                          rtm::GetChannelMemberCountErr e) noexcept override;
  // Invitations (invitation.cpp).
  void on_local_invitation_received_by_peer(const rtm::LocalInvitationPtr& inv) noexcept override;
  void on_local_invitation_accepted(const rtm::LocalInvitationPtr& inv, const std::string& response) noexcept override;
  void on_local_invitation_refused(const rtm::LocalInvitationPtr& inv, const std::string& response) noexcept override;
  void on_local_invitation_canceled(const rtm::LocalInvitationPtr& inv) noexcept override;
  void on_local_invitation_failure(const rtm::LocalInvitationPtr& inv, rtm::LocalInvitationErr e) noexcept override;
  void on_remote_invitation_received(const rtm::RemoteInvitationPtr& inv) noexcept override;
  void on_remote_invitation_accepted(const rtm::RemoteInvitationPtr& inv) noexcept override;
  void on_remote_invitation_refused(const rtm::RemoteInvitationPtr& inv) noexcept override;
  void on_remote_invitation_canceled(const rtm::RemoteInvitationPtr& inv) noexcept override;
  void on_remote_invitation_failure(const rtm::RemoteInvitationPtr& inv, rtm::RemoteInvitationErr e) noexcept override;

  void run_dispatcher() noexcept;
};

// Invitation handles: a reference to the engine's shared invitation (owned, or on the stack of a
// callback when borrowed).
struct LocalInvitation {
  rtm::LocalInvitationPtr p;
};
struct RemoteInvitation {
  rtm::RemoteInvitationPtr p;
};

struct ServerConf {
  rtm::server::ServerConfig cfg;
  bool log_level_set = false;
};

struct Server {
  rtm::server::ServerConfig cfg;
  bool log_level_set = false;
  mutable std::mutex mu;
  std::unique_ptr<rtm::server::Server> server;
  bool running = false;
};

// Handle <-> object.
#define RTMC_HANDLE(H, T)                                                               \
  inline T* impl(H* p) noexcept { return reinterpret_cast<T*>(p); }                     \
  inline const T* impl(const H* p) noexcept { return reinterpret_cast<const T*>(p); }   \
  inline H* handle(T* p) noexcept { return reinterpret_cast<H*>(p); }                   \
  inline const H* handle(const T* p) noexcept { return reinterpret_cast<const H*>(p); }
RTMC_HANDLE(rtm_message_t, Message)
RTMC_HANDLE(rtm_conf_t, Conf)
RTMC_HANDLE(rtm_client_t, Client)
RTMC_HANDLE(rtm_server_conf_t, ServerConf)
RTMC_HANDLE(rtm_server_t, Server)
RTMC_HANDLE(rtm_channel_t, Channel)
RTMC_HANDLE(rtm_local_invitation_t, LocalInvitation)
RTMC_HANDLE(rtm_remote_invitation_t, RemoteInvitation)
#undef RTMC_HANDLE

// Runs one C callback of `c` (a client, or any object with the same `closing` flag, such as a
// Signaling instance): skipped once destroy began; recorded on this thread's scope stack so that a
// destroy of that object from inside it is refused; a C++ exception thrown by a C++ callback is
// contained here instead of unwinding into the engine.
template <class O, class F>
void invoke(O* c, F&& f) noexcept {
  if (c->closing.load(std::memory_order_acquire)) return;
  CallbackScope scope(c);
  try {
    f();
  } catch (...) {
    RTM_LOG(error, "capi", "a callback threw a C++ exception; it was ignored (callbacks must not throw)");
  }
}

// The same for a channel's callback, skipped too once the channel was destroyed.
template <class F>
void invoke(Channel* ch, F&& f) noexcept {
  if (ch->closed.load(std::memory_order_acquire)) return;
  invoke(ch->client, std::forward<F>(f));
}

// The result of an operation the engine refused at once, with its RTM code named in the last error.
inline rtm_result_t op_result(const char* fn, rtm_op_t op, int code) {
  if (code == 0) return ok();
  return fail(code, "%s: refused with %s (%d)", fn, rtm_op_err2name(op, code), code);
}

}  // namespace rtmc
