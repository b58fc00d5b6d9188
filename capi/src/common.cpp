// Version, compatibility check, memory, global log level.
#include <cstdlib>
#include <string>

#include "capi/src/shim.hpp"
#include "core/common/log.hpp"

namespace {
struct LogTarget {
  rtm_log_cb cb;
  void* user_data;
};
LogTarget g_log_target{nullptr, nullptr};  // read only by the sink, under the logger's lock

void log_to_callback(rtm::log::Level level, std::string_view component, std::string_view message, void* data) {
  auto* t = static_cast<LogTarget*>(data);
  std::string c(component), m(message);  // NUL-terminated copies
  try {
    t->cb(static_cast<rtm_log_level_t>(level), c.c_str(), m.c_str(), t->user_data);
  } catch (...) {
  }
}
}  // namespace

extern "C" {

RTM_API uint32_t RTM_CALL rtm_version(void) { return RTM_VERSION_NUMBER; }
RTM_API const char* RTM_CALL rtm_version_str(void) { return RTM_VERSION_STRING; }
RTM_API int32_t RTM_CALL rtm_abi_version(void) { return RTM_ABI_VERSION; }

RTM_API rtm_result_t RTM_CALL rtm_check_compat_impl(int32_t abi_version, uint32_t version_number) {
  if (abi_version != RTM_ABI_VERSION)
    return rtmc::fail(RTM_ERR_INCOMPATIBLE,
                      "rtm_check_compat: compiled against ABI %d, but the loaded librtmkit %s has ABI %d",
                      static_cast<int>(abi_version), RTM_VERSION_STRING, RTM_ABI_VERSION);
  if (version_number > static_cast<uint32_t>(RTM_VERSION_NUMBER))
    return rtmc::fail(RTM_ERR_INCOMPATIBLE,
                      "rtm_check_compat: compiled against headers %u.%u.%u, newer than the loaded librtmkit %s",
                      (version_number >> 16) & 0xffu, (version_number >> 8) & 0xffu, version_number & 0xffu,
                      RTM_VERSION_STRING);
  return rtmc::ok();
}

RTM_API void RTM_CALL rtm_free(void* ptr) { std::free(ptr); }


RTM_API rtm_result_t RTM_CALL rtm_set_log_callback(rtm_log_cb cb, void* user_data) {
  if (!cb) {
    rtm::log::set_sink(nullptr, nullptr);
    return rtmc::ok();
  }
  // The sink is swapped under the logger's lock, so no line is written with a half-updated target.
  rtm::log::set_sink(nullptr, nullptr);
  g_log_target = {cb, user_data};
  rtm::log::set_sink(log_to_callback, &g_log_target);
  return rtmc::ok();
}

RTM_API rtm_result_t RTM_CALL rtm_set_log_level(const char* level) {
  rtm::log::Level l;
  if (!level || !rtm::log::parse_level(level, l))
    return rtmc::fail(RTM_ERR_INVALID_VALUE, "rtm_set_log_level: '%s' is not trace, debug, info, warn, error or off",
                      level ? level : "(null)");
  rtm::log::set_level(l);
  return rtmc::ok();
}

}  // extern "C"
