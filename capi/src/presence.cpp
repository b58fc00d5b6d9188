// Presence, user attributes, channel attributes and member counts: the client's operations and the
// trampolines of their results.
#include <cstring>
#include <type_traits>
#include <vector>

#include "capi/src/objects.hpp"
#include "core/common/log.hpp"

namespace {

using rtmc::invoke;

using rtmc::op_result;

// Borrowed views of a status list: parallel arrays of ids and states.
struct StatusView {
  std::vector<const char*> ids;
  std::vector<rtm_peer_online_state_t> states;
  explicit StatusView(const std::vector<rtm::PeerOnlineStatus>& s) {
    ids.reserve(s.size());
    states.reserve(s.size());
    for (auto& p : s) {
      ids.push_back(p.peer_id.c_str());
      states.push_back(static_cast<rtm_peer_online_state_t>(p.state));
    }
  }
};

std::vector<const char*> c_strs(const std::vector<std::string>& v) {
  std::vector<const char*> out;
  out.reserve(v.size());
  for (auto& s : v) out.push_back(s.c_str());
  return out;
}

std::vector<rtm_attribute_t> c_attrs(const std::vector<rtm::Attribute>& v) {
  std::vector<rtm_attribute_t> out;
  out.reserve(v.size());
  for (auto& a : v) out.push_back(rtm_attribute_t{a.key.c_str(), a.value.c_str()});
  return out;
}

template <class T>
const T* data_or_null(const std::vector<T>& v) {
  return v.empty() ? nullptr : v.data();
}

// Input lists. False (and the last error set) for a NULL array with count > 0.
bool strings_in(const char* fn, const char* const* a, size_t n, std::vector<std::string>& out) {
  if (!a && n) {
    rtmc::fail(RTM_ERR_INVALID_ARG, "%s: the list is NULL but its count is %zu", fn, n);
    return false;
  }
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.emplace_back(rtmc::sv(a[i]));
  return true;
}

bool attrs_in(const char* fn, const rtm_attribute_t* a, size_t n, std::vector<rtm::Attribute>& out) {
  if (!a && n) {
    rtmc::fail(RTM_ERR_INVALID_ARG, "%s: attributes is NULL but count is %zu", fn, n);
    return false;
  }
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(rtm::Attribute{std::string(rtmc::sv(a[i].key)), std::string(rtmc::sv(a[i].value))});
  return true;
}

bool options_in(const char* fn, const rtm_channel_attribute_options_t* o, rtm::ChannelAttributeOptions& out) {
  if (!o) return true;
  if (o->version < 1 || o->version > RTM_CHANNEL_ATTRIBUTE_OPTIONS_VERSION) {
    rtmc::fail(RTM_ERR_UNSUPPORTED_VERSION, "%s: rtm_channel_attribute_options_t version %u is not known (1..%d)", fn,
               o->version, RTM_CHANNEL_ATTRIBUTE_OPTIONS_VERSION);
    return false;
  }
  out.enable_notification_to_channel_members = o->enable_notification_to_channel_members != 0;
  return true;
}

}  // namespace

// ---- trampolines ----------------------------------------------------------------------------------

namespace rtmc {

std::vector<rtm_channel_attribute_t> c_channel_attrs(const std::vector<rtm::ChannelAttribute>& v) {
  std::vector<rtm_channel_attribute_t> out;
  out.reserve(v.size());
  for (auto& a : v)
    out.push_back(rtm_channel_attribute_t{a.key.c_str(), a.value.c_str(), a.last_update_user_id.c_str(), a.last_update_ts});
  return out;
}

void Client::on_query_peers_online_status_result(int64_t rid, const std::vector<rtm::PeerOnlineStatus>& s,
                                                 rtm::QueryPeersOnlineStatusErr e) noexcept {
  if (auto f = cb.query_peers_online_status_result)
    invoke(this, [&] {
      StatusView v(s);
      f(handle(this), rid, data_or_null(v.ids), data_or_null(v.states), s.size(),
        static_cast<rtm_query_peers_online_status_err_t>(e), ud.data);
    });
}

void Client::on_subscription_request_result(int64_t rid, rtm::PeerSubscriptionStatusErr e) noexcept {
  if (auto f = cb.subscription_request_result)
    invoke(this, [&] { f(handle(this), rid, static_cast<rtm_peer_subscription_status_err_t>(e), ud.data); });
}

void Client::on_query_peers_by_subscription_option_result(int64_t rid, const std::vector<std::string>& peer_ids,
                                                          rtm::QueryPeersBySubscriptionOptionErr e) noexcept {
  if (auto f = cb.query_peers_by_subscription_option_result)
    invoke(this, [&] {
      auto ids = c_strs(peer_ids);
      f(handle(this), rid, data_or_null(ids), ids.size(), static_cast<rtm_query_peers_by_subscription_option_err_t>(e),
        ud.data);
    });
}

void Client::on_peers_online_status_changed(const std::vector<rtm::PeerOnlineStatus>& s) noexcept {
  if (auto f = cb.peers_online_status_changed)
    invoke(this, [&] {
      StatusView v(s);
      f(handle(this), data_or_null(v.ids), data_or_null(v.states), s.size(), ud.data);
    });
}

#define RTMC_ATTR_RESULT(name)                                                                     \
  void Client::on_##name(int64_t rid, rtm::AttributeOperationErr e) noexcept {                     \
    if (auto f = cb.name)                                                                          \
      invoke(this, [&] { f(handle(this), rid, static_cast<rtm_attribute_operation_err_t>(e), ud.data); }); \
  }
RTMC_ATTR_RESULT(set_local_user_attributes_result)
RTMC_ATTR_RESULT(add_or_update_local_user_attributes_result)
RTMC_ATTR_RESULT(delete_local_user_attributes_result)
RTMC_ATTR_RESULT(clear_local_user_attributes_result)
RTMC_ATTR_RESULT(set_channel_attributes_result)
RTMC_ATTR_RESULT(add_or_update_channel_attributes_result)
RTMC_ATTR_RESULT(delete_channel_attributes_result)
RTMC_ATTR_RESULT(clear_channel_attributes_result)
#undef RTMC_ATTR_RESULT

void Client::on_get_user_attributes_result(int64_t rid, const std::string& user_id,
                                           const std::vector<rtm::Attribute>& attributes,
                                           rtm::AttributeOperationErr e) noexcept {
  if (auto f = cb.get_user_attributes_result)
    invoke(this, [&] {
      auto a = c_attrs(attributes);
      f(handle(this), rid, user_id.c_str(), data_or_null(a), a.size(), static_cast<rtm_attribute_operation_err_t>(e),
        ud.data);
    });
}

void Client::on_get_channel_attributes_result(int64_t rid, const std::vector<rtm::ChannelAttribute>& attributes,
                                              rtm::AttributeOperationErr e) noexcept {
  if (auto f = cb.get_channel_attributes_result)
    invoke(this, [&] {
      auto a = c_channel_attrs(attributes);
      f(handle(this), rid, data_or_null(a), a.size(), static_cast<rtm_attribute_operation_err_t>(e), ud.data);
    });
}

void Client::on_get_channel_member_count_result(int64_t rid, const std::vector<rtm::ChannelMemberCount>& counts,
                                                rtm::GetChannelMemberCountErr e) noexcept {
  if (auto f = cb.get_channel_member_count_result)
    invoke(this, [&] {
      std::vector<const char*> ids;
      std::vector<int> n;
      ids.reserve(counts.size());
      n.reserve(counts.size());
      for (auto& c : counts) {
        ids.push_back(c.channel_id.c_str());
        n.push_back(c.count);
      }
      f(handle(this), rid, data_or_null(ids), data_or_null(n), ids.size(),
        static_cast<rtm_get_channel_member_count_err_t>(e), ud.data);
    });
}

}  // namespace rtmc

// ---- API --------------------------------------------------------------------------------------------

using rtmc::handle;
using rtmc::impl;

#define RTMC_CLIENT(fn)                                                      \
  if (!client) return rtmc::fail(RTM_ERR_INVALID_ARG, "%s: client is NULL", fn); \
  int64_t rid = 0;                                                           \
  auto& core = *impl(client)->core;

#define RTMC_DONE(op, rc_expr)                          \
  int rc = (rc_expr);                                   \
  if (rc == 0 && out_request_id) *out_request_id = rid; \
  return op_result(fn, op, rc);

extern "C" {

RTM_API rtm_result_t RTM_CALL rtm_client_query_peers_online_status(int64_t* out_request_id, rtm_client_t* client,
                                                                   const char* const* peer_ids, size_t count) {
  return rtmc::guarded(__func__, [&](const char* fn) -> rtm_result_t {
    RTMC_CLIENT(fn)
    std::vector<std::string> ids;
    if (!strings_in(fn, peer_ids, count, ids)) return RTM_ERR_INVALID_ARG;
    RTMC_DONE(RTM_OP_QUERY_PEERS_ONLINE_STATUS, core.query_peers_online_status(ids, &rid))
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_subscribe_peers_online_status(int64_t* out_request_id, rtm_client_t* client,
                                                                       const char* const* peer_ids, size_t count) {
  return rtmc::guarded(__func__, [&](const char* fn) -> rtm_result_t {
    RTMC_CLIENT(fn)
    std::vector<std::string> ids;
    if (!strings_in(fn, peer_ids, count, ids)) return RTM_ERR_INVALID_ARG;
    RTMC_DONE(RTM_OP_PEER_SUBSCRIPTION, core.subscribe_peers_online_status(ids, &rid))
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_unsubscribe_peers_online_status(int64_t* out_request_id,
                                                                         rtm_client_t* client,
                                                                         const char* const* peer_ids, size_t count) {
  return rtmc::guarded(__func__, [&](const char* fn) -> rtm_result_t {
    RTMC_CLIENT(fn)
    std::vector<std::string> ids;
    if (!strings_in(fn, peer_ids, count, ids)) return RTM_ERR_INVALID_ARG;
    RTMC_DONE(RTM_OP_PEER_SUBSCRIPTION, core.unsubscribe_peers_online_status(ids, &rid))
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_query_peers_by_subscription_option(int64_t* out_request_id,
                                                                            rtm_client_t* client,
                                                                            rtm_peer_subscription_option_t option) {
  return rtmc::guarded(__func__, [&](const char* fn) -> rtm_result_t {
    RTMC_CLIENT(fn)
    // Read as its underlying integer: a C caller may pass any int, which is not a valid value of this
    // C++ enumeration (loading it as the enum would be undefined behaviour).
    std::underlying_type_t<rtm_peer_subscription_option_t> raw;
    std::memcpy(&raw, &option, sizeof raw);
    if (raw != RTM_PEER_SUBSCRIPTION_OPTION_ONLINE_STATUS)
      return rtmc::fail(RTM_ERR_INVALID_ARG, "%s: unknown subscription option %d", fn, static_cast<int>(raw));
    RTMC_DONE(RTM_OP_QUERY_PEERS_BY_SUBSCRIPTION_OPTION,
              core.query_peers_by_subscription_option(static_cast<rtm::PeerSubscriptionOption>(option), &rid))
  });
}

RTM_API rtm_result_t RTM_CALL rtm_channel_attribute_options_init(rtm_channel_attribute_options_t* options,
                                                                 uint32_t version) {
  if (!options) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_channel_attribute_options_init: options is NULL");
  if (version != 1)
    return rtmc::fail(RTM_ERR_UNSUPPORTED_VERSION,
                      "rtm_channel_attribute_options_init: version %u is not known (this library: 1..%d)", version,
                      RTM_CHANNEL_ATTRIBUTE_OPTIONS_VERSION);
  options->version = version;
  options->enable_notification_to_channel_members = 0;
  return rtmc::ok();
}

RTM_API rtm_result_t RTM_CALL rtm_client_set_local_user_attributes(int64_t* out_request_id, rtm_client_t* client,
                                                                   const rtm_attribute_t* attributes, size_t count) {
  return rtmc::guarded(__func__, [&](const char* fn) -> rtm_result_t {
    RTMC_CLIENT(fn)
    std::vector<rtm::Attribute> a;
    if (!attrs_in(fn, attributes, count, a)) return RTM_ERR_INVALID_ARG;
    RTMC_DONE(RTM_OP_ATTRIBUTE_OPERATION, core.set_local_user_attributes(a, &rid))
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_add_or_update_local_user_attributes(int64_t* out_request_id,
                                                                             rtm_client_t* client,
                                                                             const rtm_attribute_t* attributes,
                                                                             size_t count) {
  return rtmc::guarded(__func__, [&](const char* fn) -> rtm_result_t {
    RTMC_CLIENT(fn)
    std::vector<rtm::Attribute> a;
    if (!attrs_in(fn, attributes, count, a)) return RTM_ERR_INVALID_ARG;
    RTMC_DONE(RTM_OP_ATTRIBUTE_OPERATION, core.add_or_update_local_user_attributes(a, &rid))
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_delete_local_user_attributes_by_keys(int64_t* out_request_id,
                                                                              rtm_client_t* client,
                                                                              const char* const* keys, size_t count) {
  return rtmc::guarded(__func__, [&](const char* fn) -> rtm_result_t {
    RTMC_CLIENT(fn)
    std::vector<std::string> k;
    if (!strings_in(fn, keys, count, k)) return RTM_ERR_INVALID_ARG;
    RTMC_DONE(RTM_OP_ATTRIBUTE_OPERATION, core.delete_local_user_attributes_by_keys(k, &rid))
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_clear_local_user_attributes(int64_t* out_request_id, rtm_client_t* client) {
  return rtmc::guarded(__func__, [&](const char* fn) -> rtm_result_t {
    RTMC_CLIENT(fn)
    RTMC_DONE(RTM_OP_ATTRIBUTE_OPERATION, core.clear_local_user_attributes(&rid))
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_get_user_attributes(int64_t* out_request_id, rtm_client_t* client,
                                                             const char* user_id) {
  return rtmc::guarded(__func__, [&](const char* fn) -> rtm_result_t {
    RTMC_CLIENT(fn)
    RTMC_DONE(RTM_OP_ATTRIBUTE_OPERATION, core.get_user_attributes(std::string(rtmc::sv(user_id)), &rid))
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_get_user_attributes_by_keys(int64_t* out_request_id, rtm_client_t* client,
                                                                     const char* user_id, const char* const* keys,
                                                                     size_t count) {
  return rtmc::guarded(__func__, [&](const char* fn) -> rtm_result_t {
    RTMC_CLIENT(fn)
    std::vector<std::string> k;
    if (!strings_in(fn, keys, count, k)) return RTM_ERR_INVALID_ARG;
    RTMC_DONE(RTM_OP_ATTRIBUTE_OPERATION, core.get_user_attributes_by_keys(std::string(rtmc::sv(user_id)), k, &rid))
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_set_channel_attributes(int64_t* out_request_id, rtm_client_t* client,
                                                                const char* channel_id,
                                                                const rtm_attribute_t* attributes, size_t count,
                                                                const rtm_channel_attribute_options_t* options) {
  return rtmc::guarded(__func__, [&](const char* fn) -> rtm_result_t {
    RTMC_CLIENT(fn)
    rtm::ChannelAttributeOptions o;
    if (!options_in(fn, options, o)) return RTM_ERR_UNSUPPORTED_VERSION;
    std::vector<rtm::Attribute> a;
    if (!attrs_in(fn, attributes, count, a)) return RTM_ERR_INVALID_ARG;
    RTMC_DONE(RTM_OP_ATTRIBUTE_OPERATION, core.set_channel_attributes(std::string(rtmc::sv(channel_id)), a, o, &rid))
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_add_or_update_channel_attributes(
    int64_t* out_request_id, rtm_client_t* client, const char* channel_id, const rtm_attribute_t* attributes,
    size_t count, const rtm_channel_attribute_options_t* options) {
  return rtmc::guarded(__func__, [&](const char* fn) -> rtm_result_t {
    RTMC_CLIENT(fn)
    rtm::ChannelAttributeOptions o;
    if (!options_in(fn, options, o)) return RTM_ERR_UNSUPPORTED_VERSION;
    std::vector<rtm::Attribute> a;
    if (!attrs_in(fn, attributes, count, a)) return RTM_ERR_INVALID_ARG;
    RTMC_DONE(RTM_OP_ATTRIBUTE_OPERATION,
              core.add_or_update_channel_attributes(std::string(rtmc::sv(channel_id)), a, o, &rid))
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_delete_channel_attributes_by_keys(
    int64_t* out_request_id, rtm_client_t* client, const char* channel_id, const char* const* keys, size_t count,
    const rtm_channel_attribute_options_t* options) {
  return rtmc::guarded(__func__, [&](const char* fn) -> rtm_result_t {
    RTMC_CLIENT(fn)
    rtm::ChannelAttributeOptions o;
    if (!options_in(fn, options, o)) return RTM_ERR_UNSUPPORTED_VERSION;
    std::vector<std::string> k;
    if (!strings_in(fn, keys, count, k)) return RTM_ERR_INVALID_ARG;
    RTMC_DONE(RTM_OP_ATTRIBUTE_OPERATION,
              core.delete_channel_attributes_by_keys(std::string(rtmc::sv(channel_id)), k, o, &rid))
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_clear_channel_attributes(int64_t* out_request_id, rtm_client_t* client,
                                                                  const char* channel_id,
                                                                  const rtm_channel_attribute_options_t* options) {
  return rtmc::guarded(__func__, [&](const char* fn) -> rtm_result_t {
    RTMC_CLIENT(fn)
    rtm::ChannelAttributeOptions o;
    if (!options_in(fn, options, o)) return RTM_ERR_UNSUPPORTED_VERSION;
    RTMC_DONE(RTM_OP_ATTRIBUTE_OPERATION, core.clear_channel_attributes(std::string(rtmc::sv(channel_id)), o, &rid))
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_get_channel_attributes(int64_t* out_request_id, rtm_client_t* client,
                                                                const char* channel_id) {
  return rtmc::guarded(__func__, [&](const char* fn) -> rtm_result_t {
    RTMC_CLIENT(fn)
    RTMC_DONE(RTM_OP_ATTRIBUTE_OPERATION, core.get_channel_attributes(std::string(rtmc::sv(channel_id)), &rid))
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_get_channel_attributes_by_keys(int64_t* out_request_id,
                                                                        rtm_client_t* client, const char* channel_id,
                                                                        const char* const* keys, size_t count) {
  return rtmc::guarded(__func__, [&](const char* fn) -> rtm_result_t {
    RTMC_CLIENT(fn)
    std::vector<std::string> k;
    if (!strings_in(fn, keys, count, k)) return RTM_ERR_INVALID_ARG;
    RTMC_DONE(RTM_OP_ATTRIBUTE_OPERATION,
              core.get_channel_attributes_by_keys(std::string(rtmc::sv(channel_id)), k, &rid))
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_get_channel_member_count(int64_t* out_request_id, rtm_client_t* client,
                                                                  const char* const* channel_ids, size_t count) {
  return rtmc::guarded(__func__, [&](const char* fn) -> rtm_result_t {
    RTMC_CLIENT(fn)
    std::vector<std::string> ids;
    if (!strings_in(fn, channel_ids, count, ids)) return RTM_ERR_INVALID_ARG;
    RTMC_DONE(RTM_OP_GET_CHANNEL_MEMBER_COUNT, core.get_channel_member_count(ids, &rid))
  });
}

}  // extern "C"
