// rtm_message_t and rtm_send_options_t.
#include "capi/src/objects.hpp"

using rtmc::handle;
using rtmc::impl;

namespace {
bool check_out(const char* fn, rtm_message_t** out, rtm_result_t& rc) {
  if (out) return true;
  rc = rtmc::fail(RTM_ERR_INVALID_ARG, "%s: out is NULL", fn);
  return false;
}
}  // namespace

extern "C" {

RTM_API rtm_result_t RTM_CALL rtm_message_new_text(rtm_message_t** out, const char* text) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    rtm_result_t rc;
    if (!check_out(fn, out, rc)) return rc;
    auto m = std::make_unique<rtmc::Message>();
    m->own.type = rtm::MessageType::TEXT;
    m->own.text = rtmc::sv(text);
    *out = handle(m.release());
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_message_new_raw(rtm_message_t** out, const void* data, size_t len) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    rtm_result_t rc;
    if (!check_out(fn, out, rc)) return rc;
    if (!data && len) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_message_new_raw: data is NULL but len is %zu", len);
    auto m = std::make_unique<rtmc::Message>();
    m->own.type = rtm::MessageType::RAW;
    if (len) m->own.raw.assign(static_cast<const char*>(data), len);
    *out = handle(m.release());
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_message_set_text(rtm_message_t* message, const char* text) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    if (!message) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_message_set_text: message is NULL");
    auto* msg = impl(message);
    if (msg->m != &msg->own)
      return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_message_set_text: a borrowed message cannot be modified");
    msg->own.text = rtmc::sv(text);
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_message_copy(rtm_message_t** out, const rtm_message_t* message) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    rtm_result_t rc;
    if (!check_out(fn, out, rc)) return rc;
    if (!message) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_message_copy: message is NULL");
    auto m = std::make_unique<rtmc::Message>();
    m->own = *impl(message)->m;
    *out = handle(m.release());
    return rtmc::ok();
  });
}

RTM_API void RTM_CALL rtm_message_destroy(rtm_message_t* message) { delete impl(message); }

RTM_API rtm_message_type_t RTM_CALL rtm_message_type(const rtm_message_t* message) {
  return message ? static_cast<rtm_message_type_t>(impl(message)->m->type) : RTM_MESSAGE_TYPE_UNDEFINED;
}

RTM_API const char* RTM_CALL rtm_message_text(const rtm_message_t* message, size_t* len) {
  if (!message) {
    if (len) *len = 0;
    return nullptr;
  }
  if (len) *len = impl(message)->m->text.size();
  return impl(message)->m->text.c_str();
}

RTM_API const void* RTM_CALL rtm_message_raw(const rtm_message_t* message, size_t* len) {
  if (!message) {
    if (len) *len = 0;
    return nullptr;
  }
  if (len) *len = impl(message)->m->raw.size();
  return impl(message)->m->raw.data();
}

RTM_API int64_t RTM_CALL rtm_message_id(const rtm_message_t* message) { return message ? impl(message)->m->message_id : 0; }

RTM_API int64_t RTM_CALL rtm_message_server_received_ts(const rtm_message_t* message) {
  return message ? impl(message)->m->server_received_ts : 0;
}

RTM_API int RTM_CALL rtm_message_is_offline(const rtm_message_t* message) {
  return message && impl(message)->m->is_offline ? 1 : 0;
}

RTM_API rtm_result_t RTM_CALL rtm_send_options_init(rtm_send_options_t* options, uint32_t version) {
  if (!options) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_send_options_init: options is NULL");
  if (version != 1)
    return rtmc::fail(RTM_ERR_UNSUPPORTED_VERSION, "rtm_send_options_init: version %u is not known (this library: 1..%d)",
                      version, RTM_SEND_OPTIONS_VERSION);
  options->version = version;
  options->enable_offline_messaging = 0;
  options->enable_historical_messaging = 0;
  return rtmc::ok();
}

}  // extern "C"
