#include "core/protocol/errors.hpp"

namespace rtm {

#define RTM_CASE(E, V) case E::V: return #V

std::string_view name(LoginErr e) {
  switch (e) {
    RTM_CASE(LoginErr, OK); RTM_CASE(LoginErr, UNKNOWN); RTM_CASE(LoginErr, REJECTED);
    RTM_CASE(LoginErr, INVALID_ARGUMENT); RTM_CASE(LoginErr, INVALID_APP_ID); RTM_CASE(LoginErr, INVALID_TOKEN);
    RTM_CASE(LoginErr, TOKEN_EXPIRED); RTM_CASE(LoginErr, NOT_AUTHORIZED); RTM_CASE(LoginErr, ALREADY_LOGGED_IN);
    RTM_CASE(LoginErr, TIMEOUT); RTM_CASE(LoginErr, TOO_OFTEN); RTM_CASE(LoginErr, NOT_INITIALIZED);
  }
  return "?";
}
std::string_view name(LogoutErr e) {
  switch (e) {
    RTM_CASE(LogoutErr, OK); RTM_CASE(LogoutErr, REJECTED); RTM_CASE(LogoutErr, NOT_INITIALIZED);
    RTM_CASE(LogoutErr, USER_NOT_LOGGED_IN);
  }
  return "?";
}
std::string_view name(RenewTokenErr e) {
  switch (e) {
    RTM_CASE(RenewTokenErr, OK); RTM_CASE(RenewTokenErr, FAILURE); RTM_CASE(RenewTokenErr, INVALID_ARGUMENT);
    RTM_CASE(RenewTokenErr, REJECTED); RTM_CASE(RenewTokenErr, TOO_OFTEN); RTM_CASE(RenewTokenErr, TOKEN_EXPIRED);
    RTM_CASE(RenewTokenErr, INVALID_TOKEN); RTM_CASE(RenewTokenErr, NOT_INITIALIZED);
    RTM_CASE(RenewTokenErr, USER_NOT_LOGGED_IN);
  }
  return "?";
}
std::string_view name(ConnectionState e) {
  switch (e) {
    RTM_CASE(ConnectionState, DISCONNECTED); RTM_CASE(ConnectionState, CONNECTING);
    RTM_CASE(ConnectionState, CONNECTED); RTM_CASE(ConnectionState, RECONNECTING);
    RTM_CASE(ConnectionState, ABORTED);
  }
  return "?";
}
std::string_view name(ConnectionChangeReason e) {
  switch (e) {
    RTM_CASE(ConnectionChangeReason, LOGIN); RTM_CASE(ConnectionChangeReason, LOGIN_SUCCESS);
    RTM_CASE(ConnectionChangeReason, LOGIN_FAILURE); RTM_CASE(ConnectionChangeReason, LOGIN_TIMEOUT);
    RTM_CASE(ConnectionChangeReason, INTERRUPTED); RTM_CASE(ConnectionChangeReason, LOGOUT);
    RTM_CASE(ConnectionChangeReason, BANNED_BY_SERVER); RTM_CASE(ConnectionChangeReason, REMOTE_LOGIN);
    RTM_CASE(ConnectionChangeReason, TOKEN_EXPIRED);
  }
  return "?";
}
std::string_view name(PeerMessageErr e) {
  switch (e) {
    RTM_CASE(PeerMessageErr, OK); RTM_CASE(PeerMessageErr, FAILURE); RTM_CASE(PeerMessageErr, SENT_TIMEOUT);
    RTM_CASE(PeerMessageErr, PEER_UNREACHABLE); RTM_CASE(PeerMessageErr, CACHED_BY_SERVER);
    RTM_CASE(PeerMessageErr, TOO_OFTEN); RTM_CASE(PeerMessageErr, INVALID_USERID);
    RTM_CASE(PeerMessageErr, INVALID_MESSAGE); RTM_CASE(PeerMessageErr, IMCOMPATIBLE_MESSAGE);
    RTM_CASE(PeerMessageErr, NOT_INITIALIZED); RTM_CASE(PeerMessageErr, USER_NOT_LOGGED_IN);
  }
  return "?";
}
std::string_view name(ChannelMessageErr e) {
  switch (e) {
    RTM_CASE(ChannelMessageErr, OK); RTM_CASE(ChannelMessageErr, FAILURE); RTM_CASE(ChannelMessageErr, SENT_TIMEOUT);
    RTM_CASE(ChannelMessageErr, TOO_OFTEN); RTM_CASE(ChannelMessageErr, INVALID_MESSAGE);
    RTM_CASE(ChannelMessageErr, NOT_IN_CHANNEL); RTM_CASE(ChannelMessageErr, NOT_INITIALIZED);
    RTM_CASE(ChannelMessageErr, USER_NOT_LOGGED_IN);
  }
  return "?";
}
std::string_view name(ProtocolErr e) {
  switch (e) {
    RTM_CASE(ProtocolErr, MALFORMED_FRAME); RTM_CASE(ProtocolErr, INVALID_FIELD);
    RTM_CASE(ProtocolErr, UNKNOWN_OP); RTM_CASE(ProtocolErr, NOT_LOGGED_IN);
    RTM_CASE(ProtocolErr, TOO_MANY_PENDING);
  }
  return "?";
}

#undef RTM_CASE
}  // namespace rtm
