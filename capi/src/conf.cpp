// rtm_conf_t: the string-keyed client configuration and the callback setters.
#include <cinttypes>
#include <cstring>

#include "capi/src/objects.hpp"
#include "core/client/transport.hpp"

using rtmc::handle;
using rtmc::impl;

namespace {

constexpr unsigned long long kMaxMs = 24ull * 3600 * 1000;  // durations: 1 ms .. 1 day

using U32 = uint32_t rtm::ClientConfig::*;
using Size = std::size_t rtm::ClientConfig::*;

struct U32Key {
  const char* name;
  U32 field;
};
const U32Key kU32Keys[] = {
    {"login_timeout_ms", &rtm::ClientConfig::login_timeout_ms},
    {"request_timeout_ms", &rtm::ClientConfig::request_timeout_ms},
    {"idle_timeout_ms", &rtm::ClientConfig::idle_timeout_ms},
    {"connect_timeout_ms", &rtm::ClientConfig::connect_timeout_ms},
    {"reconnect_min_ms", &rtm::ClientConfig::reconnect_min_ms},
    {"reconnect_max_ms", &rtm::ClientConfig::reconnect_max_ms},
};

struct SizeKey {
  const char* name;
  Size field;
  unsigned long long min, max;
};
const SizeKey kSizeKeys[] = {
    {"max_outbound_bytes", &rtm::ClientConfig::max_outbound_bytes, 1024, 1ull << 40},
    {"max_pending_events", &rtm::ClientConfig::max_pending_events, 2, 1ull << 32},
    {"dedup_window", &rtm::ClientConfig::dedup_window, 0, 1ull << 24},
};

rtm_result_t conf_error(rtm_result_t code, char* errstr, std::size_t errstr_size, const char* fmt, const char* key,
                        const char* value) {
  rtmc::fail(code, fmt, key, value ? value : "(null)");
  rtmc::write_errstr(errstr, errstr_size, rtmc::last_error());
  return code;
}

bool is_dispatch_key(const char* key) { return !std::strcmp(key, "callback.dispatch") || !std::strcmp(key, "dispatch"); }

template <class F>
rtm_result_t set_cb(const char* fn, rtm_conf_t* conf, F assign) {
  if (!conf) return rtmc::fail(RTM_ERR_INVALID_ARG, "%s: conf is NULL", fn);
  assign(impl(conf)->cb);
  return rtmc::ok();
}

}  // namespace

extern "C" {

RTM_API rtm_result_t RTM_CALL rtm_conf_new(rtm_conf_t** out) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    if (!out) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_conf_new: out is NULL");
    *out = handle(new rtmc::Conf());
    return rtmc::ok();
  });
}

RTM_API void RTM_CALL rtm_conf_destroy(rtm_conf_t* conf) { delete impl(conf); }

RTM_API rtm_result_t RTM_CALL rtm_conf_set(rtm_conf_t* conf, const char* key, const char* value, char* errstr,
                                           size_t errstr_size) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) -> rtm_result_t {
    if (!conf || !key || !value) {
      rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_conf_set: conf, key and value must not be NULL");
      rtmc::write_errstr(errstr, errstr_size, rtmc::last_error());
      return RTM_ERR_INVALID_ARG;
    }
    auto* cf = impl(conf);
    auto& c = cf->cfg;
    const char* bad = "rtm_conf_set: invalid value for '%s': '%s'";
    if (!std::strcmp(key, "app_id")) {
      c.app_id = value;
    } else if (!std::strcmp(key, "url")) {
      rtm::Url u;
      if (!rtm::parse_url(value, u))
        return conf_error(RTM_ERR_INVALID_VALUE, errstr, errstr_size,
                          "rtm_conf_set: '%s' must be ws://host[:port][/path] or wss://..., not '%s'", key, value);
      c.url = value;
    } else if (!std::strcmp(key, "ca_file")) {
      c.ca_file = value;
    } else if (!std::strcmp(key, "tls_insecure_skip_verify")) {
      if (!rtmc::parse_bool(value, c.tls_insecure_skip_verify))
        return conf_error(RTM_ERR_INVALID_VALUE, errstr, errstr_size,
                          "rtm_conf_set: '%s' must be true or false, not '%s'", key, value);
    } else if (is_dispatch_key(key)) {
      if (!std::strcmp(value, "thread")) cf->poll_mode = false;
      else if (!std::strcmp(value, "poll")) cf->poll_mode = true;
      else
        return conf_error(RTM_ERR_INVALID_VALUE, errstr, errstr_size,
                          "rtm_conf_set: '%s' must be thread or poll, not '%s'", key, value);
    } else {
      for (auto& k : kU32Keys) {
        if (std::strcmp(key, k.name)) continue;
        unsigned long long v;
        if (!rtmc::parse_u64(value, 1, kMaxMs, v))
          return conf_error(RTM_ERR_INVALID_VALUE, errstr, errstr_size,
                            "rtm_conf_set: '%s' must be a number of milliseconds from 1 to 86400000, not '%s'", key,
                            value);
        c.*k.field = static_cast<uint32_t>(v);
        return rtmc::ok();
      }
      for (auto& k : kSizeKeys) {
        if (std::strcmp(key, k.name)) continue;
        unsigned long long v;
        if (!rtmc::parse_u64(value, k.min, k.max, v)) return conf_error(RTM_ERR_INVALID_VALUE, errstr, errstr_size, bad, key, value);
        c.*k.field = static_cast<std::size_t>(v);
        return rtmc::ok();
      }
      return conf_error(RTM_ERR_UNKNOWN_KEY, errstr, errstr_size, "rtm_conf_set: unknown key '%s' (value '%s')", key,
                        value);
    }
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_conf_get(char* buf, size_t* buf_size, const rtm_conf_t* conf, const char* key) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) -> rtm_result_t {
    if (!conf || !key) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_conf_get: conf and key must not be NULL");
    auto* cf = impl(conf);
    auto& c = cf->cfg;
    if (!std::strcmp(key, "app_id")) return rtmc::copy_out(fn, buf, buf_size, c.app_id);
    if (!std::strcmp(key, "url")) return rtmc::copy_out(fn, buf, buf_size, c.url);
    if (!std::strcmp(key, "ca_file")) return rtmc::copy_out(fn, buf, buf_size, c.ca_file);
    if (!std::strcmp(key, "tls_insecure_skip_verify"))
      return rtmc::copy_out(fn, buf, buf_size, c.tls_insecure_skip_verify ? "true" : "false");
    if (is_dispatch_key(key)) return rtmc::copy_out(fn, buf, buf_size, cf->poll_mode ? "poll" : "thread");
    for (auto& k : kU32Keys)
      if (!std::strcmp(key, k.name)) return rtmc::copy_out(fn, buf, buf_size, std::to_string(c.*k.field));
    for (auto& k : kSizeKeys)
      if (!std::strcmp(key, k.name)) return rtmc::copy_out(fn, buf, buf_size, std::to_string(c.*k.field));
    return rtmc::fail(RTM_ERR_UNKNOWN_KEY, "rtm_conf_get: unknown key '%s'", key);
  });
}

RTM_API rtm_result_t RTM_CALL rtm_conf_set_user_data(rtm_conf_t* conf, void* user_data, rtm_user_data_free_cb free_fn) {
  if (!conf) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_conf_set_user_data: conf is NULL");
  auto& ud = impl(conf)->ud;
  ud.release();  // the previous user data, if any, is released now
  ud.data = user_data;
  ud.free_fn = free_fn;
  return rtmc::ok();
}

RTM_API rtm_result_t RTM_CALL rtm_conf_set_connection_state_changed_cb(rtm_conf_t* conf,
                                                                        rtm_connection_state_changed_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.connection_state_changed = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_login_success_cb(rtm_conf_t* conf, rtm_login_success_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.login_success = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_login_failure_cb(rtm_conf_t* conf, rtm_login_failure_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.login_failure = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_logout_cb(rtm_conf_t* conf, rtm_logout_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.logout = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_renew_token_result_cb(rtm_conf_t* conf, rtm_renew_token_result_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.renew_token_result = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_token_expired_cb(rtm_conf_t* conf, rtm_token_expired_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.token_expired = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_token_privilege_will_expire_cb(rtm_conf_t* conf,
                                                                           rtm_token_privilege_will_expire_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.token_privilege_will_expire = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_send_message_result_cb(rtm_conf_t* conf, rtm_send_message_result_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.send_message_result = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_message_received_from_peer_cb(rtm_conf_t* conf,
                                                                          rtm_message_received_from_peer_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.message_received_from_peer = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_thread_start_cb(rtm_conf_t* conf, rtm_thread_start_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.thread_start = cb; });
}

// Channels (0.2).
RTM_API rtm_result_t RTM_CALL rtm_conf_set_channel_join_success_cb(rtm_conf_t* conf, rtm_channel_join_success_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.channel_join_success = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_channel_join_failure_cb(rtm_conf_t* conf, rtm_channel_join_failure_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.channel_join_failure = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_channel_leave_cb(rtm_conf_t* conf, rtm_channel_leave_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.channel_leave = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_channel_message_received_cb(rtm_conf_t* conf, rtm_channel_message_received_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.channel_message_received = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_channel_send_message_result_cb(rtm_conf_t* conf, rtm_channel_send_message_result_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.channel_send_message_result = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_channel_member_joined_cb(rtm_conf_t* conf, rtm_channel_member_joined_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.channel_member_joined = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_channel_member_left_cb(rtm_conf_t* conf, rtm_channel_member_left_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.channel_member_left = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_channel_get_members_result_cb(rtm_conf_t* conf, rtm_channel_get_members_result_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.channel_get_members_result = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_channel_member_count_updated_cb(rtm_conf_t* conf, rtm_channel_member_count_updated_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.channel_member_count_updated = cb; });
}

// Presence, attributes, member counts (0.2).
RTM_API rtm_result_t RTM_CALL rtm_conf_set_query_peers_online_status_result_cb(rtm_conf_t* conf, rtm_query_peers_online_status_result_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.query_peers_online_status_result = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_subscription_request_result_cb(rtm_conf_t* conf, rtm_subscription_request_result_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.subscription_request_result = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_query_peers_by_subscription_option_result_cb(rtm_conf_t* conf, rtm_query_peers_by_subscription_option_result_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.query_peers_by_subscription_option_result = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_peers_online_status_changed_cb(rtm_conf_t* conf, rtm_peers_online_status_changed_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.peers_online_status_changed = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_set_local_user_attributes_result_cb(rtm_conf_t* conf, rtm_attribute_result_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.set_local_user_attributes_result = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_add_or_update_local_user_attributes_result_cb(rtm_conf_t* conf, rtm_attribute_result_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.add_or_update_local_user_attributes_result = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_delete_local_user_attributes_result_cb(rtm_conf_t* conf, rtm_attribute_result_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.delete_local_user_attributes_result = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_clear_local_user_attributes_result_cb(rtm_conf_t* conf, rtm_attribute_result_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.clear_local_user_attributes_result = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_get_user_attributes_result_cb(rtm_conf_t* conf, rtm_get_user_attributes_result_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.get_user_attributes_result = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_set_channel_attributes_result_cb(rtm_conf_t* conf, rtm_attribute_result_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.set_channel_attributes_result = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_add_or_update_channel_attributes_result_cb(rtm_conf_t* conf, rtm_attribute_result_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.add_or_update_channel_attributes_result = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_delete_channel_attributes_result_cb(rtm_conf_t* conf, rtm_attribute_result_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.delete_channel_attributes_result = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_clear_channel_attributes_result_cb(rtm_conf_t* conf, rtm_attribute_result_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.clear_channel_attributes_result = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_get_channel_attributes_result_cb(rtm_conf_t* conf, rtm_get_channel_attributes_result_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.get_channel_attributes_result = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_get_channel_member_count_result_cb(rtm_conf_t* conf, rtm_get_channel_member_count_result_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.get_channel_member_count_result = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_channel_attributes_updated_cb(rtm_conf_t* conf, rtm_channel_attributes_updated_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.channel_attributes_updated = cb; });
}

// Invitations (0.2).
RTM_API rtm_result_t RTM_CALL rtm_conf_set_local_invitation_received_by_peer_cb(rtm_conf_t* conf, rtm_local_invitation_received_by_peer_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.local_invitation_received_by_peer = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_local_invitation_accepted_cb(rtm_conf_t* conf, rtm_local_invitation_accepted_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.local_invitation_accepted = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_local_invitation_refused_cb(rtm_conf_t* conf, rtm_local_invitation_refused_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.local_invitation_refused = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_local_invitation_canceled_cb(rtm_conf_t* conf, rtm_local_invitation_canceled_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.local_invitation_canceled = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_local_invitation_failure_cb(rtm_conf_t* conf, rtm_local_invitation_failure_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.local_invitation_failure = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_remote_invitation_received_cb(rtm_conf_t* conf, rtm_remote_invitation_received_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.remote_invitation_received = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_remote_invitation_accepted_cb(rtm_conf_t* conf, rtm_remote_invitation_accepted_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.remote_invitation_accepted = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_remote_invitation_refused_cb(rtm_conf_t* conf, rtm_remote_invitation_refused_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.remote_invitation_refused = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_remote_invitation_canceled_cb(rtm_conf_t* conf, rtm_remote_invitation_canceled_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.remote_invitation_canceled = cb; });
}
RTM_API rtm_result_t RTM_CALL rtm_conf_set_remote_invitation_failure_cb(rtm_conf_t* conf, rtm_remote_invitation_failure_cb cb) {
  return set_cb(__func__, conf, [cb](rtmc::Callbacks& c) { c.remote_invitation_failure = cb; });
}

}  // extern "C"
