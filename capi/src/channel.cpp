// rtm_channel_t: creation, operations, getters, and the trampolines from the engine's channel events
// to the C callbacks registered on the client's conf.
#include <vector>

#include "capi/src/objects.hpp"
#include "core/common/log.hpp"

using rtmc::op_result;

namespace rtmc {

#define RTMC_CH_CB(name) \
  auto f = client->cb.name; \
  if (!f) return;

void Channel::on_join_success() noexcept {
  RTMC_CH_CB(channel_join_success)
  invoke(this, [&] { f(handle(client), handle(this), client->ud.data); });
}

void Channel::on_join_failure(rtm::JoinChannelErr e) noexcept {
  RTMC_CH_CB(channel_join_failure)
  invoke(this, [&] { f(handle(client), handle(this), static_cast<rtm_join_channel_err_t>(e), client->ud.data); });
}

void Channel::on_leave(rtm::LeaveChannelErr e) noexcept {
  RTMC_CH_CB(channel_leave)
  invoke(this, [&] { f(handle(client), handle(this), static_cast<rtm_leave_channel_err_t>(e), client->ud.data); });
}

void Channel::on_message_received(const std::string& member_id, const rtm::Message& m) noexcept {
  RTMC_CH_CB(channel_message_received)
  invoke(this, [&] {
    Message borrowed(&m);  // no copy: valid for the duration of the callback
    f(handle(client), handle(this), member_id.c_str(), handle(&borrowed), client->ud.data);
  });
}

void Channel::on_send_message_result(int64_t message_id, rtm::ChannelMessageErr e) noexcept {
  RTMC_CH_CB(channel_send_message_result)
  invoke(this, [&] {
    f(handle(client), handle(this), message_id, static_cast<rtm_channel_message_err_t>(e), client->ud.data);
  });
}

void Channel::on_member_joined(const std::string& member_id) noexcept {
  RTMC_CH_CB(channel_member_joined)
  invoke(this, [&] { f(handle(client), handle(this), member_id.c_str(), client->ud.data); });
}

void Channel::on_member_left(const std::string& member_id) noexcept {
  RTMC_CH_CB(channel_member_left)
  invoke(this, [&] { f(handle(client), handle(this), member_id.c_str(), client->ud.data); });
}

void Channel::on_get_members(const std::vector<std::string>& member_ids, rtm::GetMembersErr e) noexcept {
  RTMC_CH_CB(channel_get_members_result)
  invoke(this, [&] {
    std::vector<const char*> ids;  // may throw bad_alloc: contained by invoke (the callback is skipped)
    ids.reserve(member_ids.size());
    for (auto& m : member_ids) ids.push_back(m.c_str());
    f(handle(client), handle(this), ids.empty() ? nullptr : ids.data(), ids.size(),
      static_cast<rtm_get_members_err_t>(e), client->ud.data);
  });
}

void Channel::on_member_count_updated(int count) noexcept {
  RTMC_CH_CB(channel_member_count_updated)
  invoke(this, [&] { f(handle(client), handle(this), count, client->ud.data); });
}

std::vector<rtm_channel_attribute_t> c_channel_attrs(const std::vector<rtm::ChannelAttribute>& v);  // presence.cpp

void Channel::on_attributes_updated(const std::vector<rtm::ChannelAttribute>& attributes) noexcept {
  RTMC_CH_CB(channel_attributes_updated)
  invoke(this, [&] {
    auto a = c_channel_attrs(attributes);
    f(handle(client), handle(this), a.empty() ? nullptr : a.data(), a.size(), client->ud.data);
  });
}

#undef RTMC_CH_CB

}  // namespace rtmc

using rtmc::handle;
using rtmc::impl;

extern "C" {

RTM_API rtm_result_t RTM_CALL rtm_client_create_channel(rtm_channel_t** out, rtm_client_t* client,
                                                        const char* channel_id, void* channel_user_data) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    if (!out || !client) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_client_create_channel: out and client must not be NULL");
    rtmc::Client* c = impl(client);
    std::string id(rtmc::sv(channel_id));
    std::lock_guard lock(c->mu);
    auto it = c->channels.find(id);
    if (it != c->channels.end()) {
      rtmc::Channel* ch = it->second.get();
      if (!ch->closed.load(std::memory_order_acquire))
        return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_client_create_channel: the channel '%s' already exists",
                          id.c_str());
      // Reopen a destroyed channel of the same id (its engine object still lives; see rtmc::Channel).
      ch->ud.store(channel_user_data, std::memory_order_relaxed);
      ch->closed.store(false, std::memory_order_release);
      *out = handle(ch);
      return rtmc::ok();
    }
    auto ch = std::make_unique<rtmc::Channel>();
    ch->client = c;
    ch->id = id;
    ch->ud.store(channel_user_data, std::memory_order_relaxed);
    ch->core = c->core->create_channel(id, ch.get());
    if (!ch->core)
      return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_client_create_channel: invalid channel id '%s'", id.c_str());
    *out = handle(ch.get());
    c->channels.emplace(id, std::move(ch));
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_channel_destroy(rtm_channel_t* channel) {
  if (!channel) return rtmc::ok();
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    rtmc::Channel* ch = impl(channel);
    {
      std::lock_guard lock(ch->client->mu);
      ch->closed.store(true, std::memory_order_release);
    }
    ch->core->leave();  // refused at once when not logged in; its callback is not delivered (closed)
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_channel_join(rtm_channel_t* channel) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    if (!channel) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_channel_join: channel is NULL");
    return op_result(fn, RTM_OP_JOIN_CHANNEL, impl(channel)->core->join());
  });
}

RTM_API rtm_result_t RTM_CALL rtm_channel_leave(rtm_channel_t* channel) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    if (!channel) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_channel_leave: channel is NULL");
    return op_result(fn, RTM_OP_LEAVE_CHANNEL, impl(channel)->core->leave());
  });
}

RTM_API rtm_result_t RTM_CALL rtm_channel_send_message(int64_t* out_message_id, rtm_channel_t* channel,
                                                       const rtm_message_t* message, const rtm_send_options_t* options) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    if (!channel) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_channel_send_message: channel is NULL");
    rtm::SendMessageOptions o;
    if (options) {
      if (options->version < 1 || options->version > RTM_SEND_OPTIONS_VERSION)
        return rtmc::fail(RTM_ERR_UNSUPPORTED_VERSION,
                          "rtm_channel_send_message: rtm_send_options_t version %u is not known (1..%d)",
                          options->version, RTM_SEND_OPTIONS_VERSION);
      o.enable_offline_messaging = options->enable_offline_messaging != 0;
      o.enable_historical_messaging = options->enable_historical_messaging != 0;
    }
    if (!message) return op_result(fn, RTM_OP_SEND_CHANNEL_MESSAGE, RTM_CHANNEL_MESSAGE_ERR_INVALID_MESSAGE);
    int64_t id = 0;
    int rc = impl(channel)->core->send_message(*impl(message)->m, o, &id);
    if (rc == 0 && out_message_id) *out_message_id = id;
    return op_result(fn, RTM_OP_SEND_CHANNEL_MESSAGE, rc);
  });
}

RTM_API rtm_result_t RTM_CALL rtm_channel_get_members(rtm_channel_t* channel) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    if (!channel) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_channel_get_members: channel is NULL");
    return op_result(fn, RTM_OP_GET_MEMBERS, impl(channel)->core->get_members());
  });
}

RTM_API const char* RTM_CALL rtm_channel_id(const rtm_channel_t* channel) {
  return channel ? impl(channel)->id.c_str() : nullptr;
}

RTM_API rtm_client_t* RTM_CALL rtm_channel_client(const rtm_channel_t* channel) {
  return channel ? handle(impl(channel)->client) : nullptr;
}

RTM_API void* RTM_CALL rtm_channel_user_data(const rtm_channel_t* channel) {
  return channel ? impl(channel)->ud.load(std::memory_order_relaxed) : nullptr;
}

}  // extern "C"
