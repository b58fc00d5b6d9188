// Error codes, their names and descriptions, and the names of the RTM enumerations. Every C
// enumerator is checked against the C++ core's value at compile time.
#include <iterator>

#include "capi/src/shim.hpp"
#include "core/protocol/errors.hpp"

namespace {

#define RTM_SAME(C, E) static_assert(static_cast<int>(C) == static_cast<int>(E), #C " differs from the core")
RTM_SAME(RTM_LOGIN_ERR_OK, rtm::LoginErr::OK);
RTM_SAME(RTM_LOGIN_ERR_UNKNOWN, rtm::LoginErr::UNKNOWN);
RTM_SAME(RTM_LOGIN_ERR_REJECTED, rtm::LoginErr::REJECTED);
RTM_SAME(RTM_LOGIN_ERR_INVALID_ARGUMENT, rtm::LoginErr::INVALID_ARGUMENT);
RTM_SAME(RTM_LOGIN_ERR_INVALID_APP_ID, rtm::LoginErr::INVALID_APP_ID);
RTM_SAME(RTM_LOGIN_ERR_INVALID_TOKEN, rtm::LoginErr::INVALID_TOKEN);
RTM_SAME(RTM_LOGIN_ERR_TOKEN_EXPIRED, rtm::LoginErr::TOKEN_EXPIRED);
RTM_SAME(RTM_LOGIN_ERR_NOT_AUTHORIZED, rtm::LoginErr::NOT_AUTHORIZED);
RTM_SAME(RTM_LOGIN_ERR_ALREADY_LOGGED_IN, rtm::LoginErr::ALREADY_LOGGED_IN);
RTM_SAME(RTM_LOGIN_ERR_TIMEOUT, rtm::LoginErr::TIMEOUT);
RTM_SAME(RTM_LOGIN_ERR_TOO_OFTEN, rtm::LoginErr::TOO_OFTEN);
RTM_SAME(RTM_LOGIN_ERR_NOT_INITIALIZED, rtm::LoginErr::NOT_INITIALIZED);
RTM_SAME(RTM_LOGOUT_ERR_OK, rtm::LogoutErr::OK);
RTM_SAME(RTM_LOGOUT_ERR_REJECTED, rtm::LogoutErr::REJECTED);
RTM_SAME(RTM_LOGOUT_ERR_NOT_INITIALIZED, rtm::LogoutErr::NOT_INITIALIZED);
RTM_SAME(RTM_LOGOUT_ERR_USER_NOT_LOGGED_IN, rtm::LogoutErr::USER_NOT_LOGGED_IN);
RTM_SAME(RTM_RENEW_TOKEN_ERR_OK, rtm::RenewTokenErr::OK);
RTM_SAME(RTM_RENEW_TOKEN_ERR_FAILURE, rtm::RenewTokenErr::FAILURE);
RTM_SAME(RTM_RENEW_TOKEN_ERR_INVALID_ARGUMENT, rtm::RenewTokenErr::INVALID_ARGUMENT);
RTM_SAME(RTM_RENEW_TOKEN_ERR_REJECTED, rtm::RenewTokenErr::REJECTED);
RTM_SAME(RTM_RENEW_TOKEN_ERR_TOO_OFTEN, rtm::RenewTokenErr::TOO_OFTEN);
RTM_SAME(RTM_RENEW_TOKEN_ERR_TOKEN_EXPIRED, rtm::RenewTokenErr::TOKEN_EXPIRED);
RTM_SAME(RTM_RENEW_TOKEN_ERR_INVALID_TOKEN, rtm::RenewTokenErr::INVALID_TOKEN);
RTM_SAME(RTM_RENEW_TOKEN_ERR_NOT_INITIALIZED, rtm::RenewTokenErr::NOT_INITIALIZED);
RTM_SAME(RTM_RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN, rtm::RenewTokenErr::USER_NOT_LOGGED_IN);
RTM_SAME(RTM_PEER_MESSAGE_ERR_OK, rtm::PeerMessageErr::OK);
RTM_SAME(RTM_PEER_MESSAGE_ERR_FAILURE, rtm::PeerMessageErr::FAILURE);
RTM_SAME(RTM_PEER_MESSAGE_ERR_SENT_TIMEOUT, rtm::PeerMessageErr::SENT_TIMEOUT);
RTM_SAME(RTM_PEER_MESSAGE_ERR_PEER_UNREACHABLE, rtm::PeerMessageErr::PEER_UNREACHABLE);
RTM_SAME(RTM_PEER_MESSAGE_ERR_CACHED_BY_SERVER, rtm::PeerMessageErr::CACHED_BY_SERVER);
RTM_SAME(RTM_PEER_MESSAGE_ERR_TOO_OFTEN, rtm::PeerMessageErr::TOO_OFTEN);
RTM_SAME(RTM_PEER_MESSAGE_ERR_INVALID_USERID, rtm::PeerMessageErr::INVALID_USERID);
RTM_SAME(RTM_PEER_MESSAGE_ERR_INVALID_MESSAGE, rtm::PeerMessageErr::INVALID_MESSAGE);
RTM_SAME(RTM_PEER_MESSAGE_ERR_IMCOMPATIBLE_MESSAGE, rtm::PeerMessageErr::IMCOMPATIBLE_MESSAGE);
RTM_SAME(RTM_PEER_MESSAGE_ERR_NOT_INITIALIZED, rtm::PeerMessageErr::NOT_INITIALIZED);
RTM_SAME(RTM_PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN, rtm::PeerMessageErr::USER_NOT_LOGGED_IN);
RTM_SAME(RTM_CONNECTION_STATE_DISCONNECTED, rtm::ConnectionState::DISCONNECTED);
RTM_SAME(RTM_CONNECTION_STATE_CONNECTING, rtm::ConnectionState::CONNECTING);
RTM_SAME(RTM_CONNECTION_STATE_CONNECTED, rtm::ConnectionState::CONNECTED);
RTM_SAME(RTM_CONNECTION_STATE_RECONNECTING, rtm::ConnectionState::RECONNECTING);
RTM_SAME(RTM_CONNECTION_STATE_ABORTED, rtm::ConnectionState::ABORTED);
RTM_SAME(RTM_CONNECTION_CHANGE_REASON_LOGIN, rtm::ConnectionChangeReason::LOGIN);
RTM_SAME(RTM_CONNECTION_CHANGE_REASON_LOGIN_SUCCESS, rtm::ConnectionChangeReason::LOGIN_SUCCESS);
RTM_SAME(RTM_CONNECTION_CHANGE_REASON_LOGIN_FAILURE, rtm::ConnectionChangeReason::LOGIN_FAILURE);
RTM_SAME(RTM_CONNECTION_CHANGE_REASON_LOGIN_TIMEOUT, rtm::ConnectionChangeReason::LOGIN_TIMEOUT);
RTM_SAME(RTM_CONNECTION_CHANGE_REASON_INTERRUPTED, rtm::ConnectionChangeReason::INTERRUPTED);
RTM_SAME(RTM_CONNECTION_CHANGE_REASON_LOGOUT, rtm::ConnectionChangeReason::LOGOUT);
RTM_SAME(RTM_CONNECTION_CHANGE_REASON_BANNED_BY_SERVER, rtm::ConnectionChangeReason::BANNED_BY_SERVER);
RTM_SAME(RTM_CONNECTION_CHANGE_REASON_REMOTE_LOGIN, rtm::ConnectionChangeReason::REMOTE_LOGIN);
RTM_SAME(RTM_CONNECTION_CHANGE_REASON_TOKEN_EXPIRED, rtm::ConnectionChangeReason::TOKEN_EXPIRED);
RTM_SAME(RTM_MESSAGE_TYPE_UNDEFINED, rtm::MessageType::UNDEFINED);
RTM_SAME(RTM_MESSAGE_TYPE_TEXT, rtm::MessageType::TEXT);
RTM_SAME(RTM_MESSAGE_TYPE_RAW, rtm::MessageType::RAW);
#undef RTM_SAME

struct Desc {
  int32_t code;
  const char* name;
  const char* text;
};

#define E(C, T) {C, #C, T}
const Desc kErrors[] = {
    E(RTM_OK, "success"),
    E(RTM_ERR_INVALID_ARG, "invalid argument"),
    E(RTM_ERR_NO_MEMORY, "out of memory"),
    E(RTM_ERR_INTERNAL, "internal error"),
    E(RTM_ERR_INVALID_STATE, "the call is not allowed in the object's current state or on this thread"),
    E(RTM_ERR_BUFFER_TOO_SMALL, "the buffer is too small"),
    E(RTM_ERR_UNKNOWN_KEY, "unknown configuration key"),
    E(RTM_ERR_INVALID_VALUE, "invalid configuration value"),
    E(RTM_ERR_INCOMPATIBLE, "the loaded library is not compatible with the headers"),
    E(RTM_ERR_TOKEN, "the token could not be built"),
    E(RTM_ERR_SERVER_START, "the server could not start"),
    E(RTM_ERR_UNSUPPORTED_VERSION, "unsupported struct version"),
};
const rtm_result_t kErrorCodes[] = {
    RTM_OK, RTM_ERR_INVALID_ARG, RTM_ERR_NO_MEMORY, RTM_ERR_INTERNAL, RTM_ERR_INVALID_STATE,
    RTM_ERR_BUFFER_TOO_SMALL, RTM_ERR_UNKNOWN_KEY, RTM_ERR_INVALID_VALUE, RTM_ERR_INCOMPATIBLE, RTM_ERR_TOKEN,
    RTM_ERR_SERVER_START, RTM_ERR_UNSUPPORTED_VERSION,
};
static_assert(std::size(kErrors) == std::size(kErrorCodes));

const Desc kLogin[] = {
    E(RTM_LOGIN_ERR_OK, ""), E(RTM_LOGIN_ERR_UNKNOWN, ""), E(RTM_LOGIN_ERR_REJECTED, ""),
    E(RTM_LOGIN_ERR_INVALID_ARGUMENT, ""), E(RTM_LOGIN_ERR_INVALID_APP_ID, ""), E(RTM_LOGIN_ERR_INVALID_TOKEN, ""),
    E(RTM_LOGIN_ERR_TOKEN_EXPIRED, ""), E(RTM_LOGIN_ERR_NOT_AUTHORIZED, ""), E(RTM_LOGIN_ERR_ALREADY_LOGGED_IN, ""),
    E(RTM_LOGIN_ERR_TIMEOUT, ""), E(RTM_LOGIN_ERR_TOO_OFTEN, ""), E(RTM_LOGIN_ERR_NOT_INITIALIZED, ""),
};
const Desc kLogout[] = {
    E(RTM_LOGOUT_ERR_OK, ""), E(RTM_LOGOUT_ERR_REJECTED, ""), E(RTM_LOGOUT_ERR_NOT_INITIALIZED, ""),
    E(RTM_LOGOUT_ERR_USER_NOT_LOGGED_IN, ""),
};
const Desc kRenew[] = {
    E(RTM_RENEW_TOKEN_ERR_OK, ""), E(RTM_RENEW_TOKEN_ERR_FAILURE, ""), E(RTM_RENEW_TOKEN_ERR_INVALID_ARGUMENT, ""),
    E(RTM_RENEW_TOKEN_ERR_REJECTED, ""), E(RTM_RENEW_TOKEN_ERR_TOO_OFTEN, ""),
    E(RTM_RENEW_TOKEN_ERR_TOKEN_EXPIRED, ""), E(RTM_RENEW_TOKEN_ERR_INVALID_TOKEN, ""),
    E(RTM_RENEW_TOKEN_ERR_NOT_INITIALIZED, ""), E(RTM_RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN, ""),
};
const Desc kPeer[] = {
    E(RTM_PEER_MESSAGE_ERR_OK, ""), E(RTM_PEER_MESSAGE_ERR_FAILURE, ""), E(RTM_PEER_MESSAGE_ERR_SENT_TIMEOUT, ""),
    E(RTM_PEER_MESSAGE_ERR_PEER_UNREACHABLE, ""), E(RTM_PEER_MESSAGE_ERR_CACHED_BY_SERVER, ""),
    E(RTM_PEER_MESSAGE_ERR_TOO_OFTEN, ""), E(RTM_PEER_MESSAGE_ERR_INVALID_USERID, ""),
    E(RTM_PEER_MESSAGE_ERR_INVALID_MESSAGE, ""), E(RTM_PEER_MESSAGE_ERR_IMCOMPATIBLE_MESSAGE, ""),
    E(RTM_PEER_MESSAGE_ERR_NOT_INITIALIZED, ""), E(RTM_PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN, ""),
};
const Desc kStates[] = {
    E(RTM_CONNECTION_STATE_DISCONNECTED, ""), E(RTM_CONNECTION_STATE_CONNECTING, ""),
    E(RTM_CONNECTION_STATE_CONNECTED, ""), E(RTM_CONNECTION_STATE_RECONNECTING, ""),
    E(RTM_CONNECTION_STATE_ABORTED, ""),
};
const Desc kReasons[] = {
    E(RTM_CONNECTION_CHANGE_REASON_LOGIN, ""), E(RTM_CONNECTION_CHANGE_REASON_LOGIN_SUCCESS, ""),
    E(RTM_CONNECTION_CHANGE_REASON_LOGIN_FAILURE, ""), E(RTM_CONNECTION_CHANGE_REASON_LOGIN_TIMEOUT, ""),
    E(RTM_CONNECTION_CHANGE_REASON_INTERRUPTED, ""), E(RTM_CONNECTION_CHANGE_REASON_LOGOUT, ""),
    E(RTM_CONNECTION_CHANGE_REASON_BANNED_BY_SERVER, ""), E(RTM_CONNECTION_CHANGE_REASON_REMOTE_LOGIN, ""),
    E(RTM_CONNECTION_CHANGE_REASON_TOKEN_EXPIRED, ""),
};
#undef E

template <std::size_t N>
const Desc* find(const Desc (&table)[N], int32_t code) {
  for (auto& d : table)
    if (d.code == code) return &d;
  return nullptr;
}

// The code arrays handed out by rtm_get_op_err_codes, built once from the tables.
template <std::size_t N>
struct Codes {
  int32_t v[N];
  explicit constexpr Codes(const Desc (&table)[N]) : v{} {
    for (std::size_t i = 0; i < N; ++i) v[i] = table[i].code;
  }
};
const Codes kLoginCodes(kLogin);
const Codes kLogoutCodes(kLogout);
const Codes kRenewCodes(kRenew);
const Codes kPeerCodes(kPeer);

}  // namespace

extern "C" {

RTM_API const char* RTM_CALL rtm_err2str(rtm_result_t code) {
  if (code > 0) return "an RTM result code of the operation called (see rtm_op_err2name)";
  if (auto* d = find(kErrors, code)) return d->text;
  return "unknown error";
}

RTM_API const char* RTM_CALL rtm_err2name(rtm_result_t code) {
  if (code > 0) return "RTM_OP_RESULT";
  if (auto* d = find(kErrors, code)) return d->name;
  return "RTM_ERR_UNKNOWN";
}

RTM_API const char* RTM_CALL rtm_op_err2name(rtm_op_t op, int32_t code) {
  const Desc* d = nullptr;
  switch (op) {
    case RTM_OP_LOGIN: d = find(kLogin, code); break;
    case RTM_OP_LOGOUT: d = find(kLogout, code); break;
    case RTM_OP_RENEW_TOKEN: d = find(kRenew, code); break;
    case RTM_OP_SEND_PEER_MESSAGE: d = find(kPeer, code); break;
  }
  return d ? d->name : "?";
}

RTM_API rtm_result_t RTM_CALL rtm_get_err_codes(const rtm_result_t** codes, size_t* count) {
  if (!codes || !count) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_get_err_codes: codes and count must not be NULL");
  *codes = kErrorCodes;
  *count = std::size(kErrorCodes);
  return rtmc::ok();
}

RTM_API rtm_result_t RTM_CALL rtm_get_op_err_codes(const int32_t** codes, size_t* count, rtm_op_t op) {
  if (!codes || !count) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_get_op_err_codes: codes and count must not be NULL");
  switch (op) {
    case RTM_OP_LOGIN: *codes = kLoginCodes.v; *count = std::size(kLogin); return rtmc::ok();
    case RTM_OP_LOGOUT: *codes = kLogoutCodes.v; *count = std::size(kLogout); return rtmc::ok();
    case RTM_OP_RENEW_TOKEN: *codes = kRenewCodes.v; *count = std::size(kRenew); return rtmc::ok();
    case RTM_OP_SEND_PEER_MESSAGE: *codes = kPeerCodes.v; *count = std::size(kPeer); return rtmc::ok();
  }
  return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_get_op_err_codes: unknown operation %d", static_cast<int>(op));
}

RTM_API const char* RTM_CALL rtm_connection_state_name(rtm_connection_state_t state) {
  auto* d = find(kStates, state);
  return d ? d->name : "?";
}

RTM_API const char* RTM_CALL rtm_connection_change_reason_name(rtm_connection_change_reason_t reason) {
  auto* d = find(kReasons, reason);
  return d ? d->name : "?";
}

}  // extern "C"
