// Token minting: 007 (AccessToken2) and 006 (AccessToken) RTM tokens.
#include "capi/src/shim.hpp"
#include "core/token/token.hpp"

namespace {

bool check_inputs(const char* fn, const char* app_id, const char* cert, const char* user_id, rtm_result_t& rc) {
  if (app_id && cert && user_id && *app_id && *cert && *user_id) return true;
  rc = rtmc::fail(RTM_ERR_TOKEN, "%s: app_id, app_certificate and user_id must be non-empty strings", fn);
  return false;
}

rtm_result_t alloc_out(const char* fn, char** out, const std::string& token) {
  if (token.empty())
    return rtmc::fail(RTM_ERR_TOKEN, "%s: no token can be built from this input (a field is too long, or the random "
                                     "generator failed)", fn);
  *out = rtmc::dup_string(token);
  return rtmc::ok();
}

rtm_result_t buf_out(const char* fn, char* buf, size_t* buf_size, const std::string& token) {
  if (token.empty())
    return rtmc::fail(RTM_ERR_TOKEN, "%s: no token can be built from this input (a field is too long, or the random "
                                     "generator failed)", fn);
  return rtmc::copy_out(fn, buf, buf_size, token);
}

}  // namespace

extern "C" {

RTM_API rtm_result_t RTM_CALL rtm_token_build_007(char** out, const char* app_id, const char* app_certificate,
                                                  const char* user_id, uint32_t expire_seconds) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    rtm_result_t rc;
    if (!out) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_token_build_007: out is NULL");
    if (!check_inputs(fn, app_id, app_certificate, user_id, rc)) return rc;
    return alloc_out(fn, out, rtm::token::build_rtm_token_007(app_id, app_certificate, user_id, expire_seconds));
  });
}

RTM_API rtm_result_t RTM_CALL rtm_token_build_007_into(char* buf, size_t* buf_size, const char* app_id,
                                                       const char* app_certificate, const char* user_id,
                                                       uint32_t expire_seconds) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    rtm_result_t rc;
    if (!buf_size) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_token_build_007_into: buf_size is NULL");
    if (!check_inputs(fn, app_id, app_certificate, user_id, rc)) return rc;
    return buf_out(fn, buf, buf_size,
                   rtm::token::build_rtm_token_007(app_id, app_certificate, user_id, expire_seconds));
  });
}

RTM_API rtm_result_t RTM_CALL rtm_token_build_007_ex(char** out, const char* app_id, const char* app_certificate,
                                                     const char* user_id, uint32_t expire_seconds, uint32_t issue_ts,
                                                     uint32_t salt) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    rtm_result_t rc;
    if (!out) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_token_build_007_ex: out is NULL");
    if (!check_inputs(fn, app_id, app_certificate, user_id, rc)) return rc;
    return alloc_out(fn, out,
                     rtm::token::build_rtm_token_007(app_id, app_certificate, user_id, expire_seconds, issue_ts, salt));
  });
}

RTM_API rtm_result_t RTM_CALL rtm_token_build_006(char** out, const char* app_id, const char* app_certificate,
                                                  const char* user_id) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    rtm_result_t rc;
    if (!out) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_token_build_006: out is NULL");
    if (!check_inputs(fn, app_id, app_certificate, user_id, rc)) return rc;
    return alloc_out(fn, out, rtm::token::build_rtm_token_006(app_id, app_certificate, user_id));
  });
}

RTM_API rtm_result_t RTM_CALL rtm_token_build_006_into(char* buf, size_t* buf_size, const char* app_id,
                                                       const char* app_certificate, const char* user_id) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    rtm_result_t rc;
    if (!buf_size) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_token_build_006_into: buf_size is NULL");
    if (!check_inputs(fn, app_id, app_certificate, user_id, rc)) return rc;
    return buf_out(fn, buf, buf_size, rtm::token::build_rtm_token_006(app_id, app_certificate, user_id));
  });
}

RTM_API rtm_result_t RTM_CALL rtm_token_build_006_ex(char** out, const char* app_id, const char* app_certificate,
                                                     const char* user_id, uint32_t ts, uint32_t salt,
                                                     uint32_t privilege_expired_ts) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    rtm_result_t rc;
    if (!out) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_token_build_006_ex: out is NULL");
    if (!check_inputs(fn, app_id, app_certificate, user_id, rc)) return rc;
    return alloc_out(fn, out,
                     rtm::token::build_rtm_token_006(app_id, app_certificate, user_id, ts, salt, privilege_expired_ts));
  });
}

}  // extern "C"
