// Result, state and reason numbers. Every value equals its Agora RTM 1.x counterpart, so that code
// migrating from RTM maps one to one. Numbers are never reused or renumbered.
#pragma once
#include <cstdint>
#include <string_view>

namespace rtm {

enum class LoginErr : int {
  OK = 0, UNKNOWN = 1, REJECTED = 2, INVALID_ARGUMENT = 3, INVALID_APP_ID = 4, INVALID_TOKEN = 5,
  TOKEN_EXPIRED = 6, NOT_AUTHORIZED = 7, ALREADY_LOGGED_IN = 8, TIMEOUT = 9, TOO_OFTEN = 10,
  NOT_INITIALIZED = 101,
};

enum class LogoutErr : int { OK = 0, REJECTED = 1, NOT_INITIALIZED = 101, USER_NOT_LOGGED_IN = 102 };

enum class RenewTokenErr : int {
  OK = 0, FAILURE = 1, INVALID_ARGUMENT = 2, REJECTED = 3, TOO_OFTEN = 4, TOKEN_EXPIRED = 5,
  INVALID_TOKEN = 6, NOT_INITIALIZED = 101, USER_NOT_LOGGED_IN = 102,
};

enum class ConnectionState : int { DISCONNECTED = 1, CONNECTING = 2, CONNECTED = 3, RECONNECTING = 4, ABORTED = 5 };

enum class ConnectionChangeReason : int {
  LOGIN = 1, LOGIN_SUCCESS = 2, LOGIN_FAILURE = 3, LOGIN_TIMEOUT = 4, INTERRUPTED = 5, LOGOUT = 6,
  BANNED_BY_SERVER = 7, REMOTE_LOGIN = 8, TOKEN_EXPIRED = 9,
};

enum class PeerMessageErr : int {
  OK = 0, FAILURE = 1, SENT_TIMEOUT = 2, PEER_UNREACHABLE = 3, CACHED_BY_SERVER = 4, TOO_OFTEN = 5,
  INVALID_USERID = 6, INVALID_MESSAGE = 7, IMCOMPATIBLE_MESSAGE = 8, NOT_INITIALIZED = 101,
  USER_NOT_LOGGED_IN = 102,
};

enum class MessageType : int { UNDEFINED = 0, TEXT = 1, RAW = 2 };

enum class JoinChannelErr : int {
  OK = 0, FAILURE = 1, REJECTED = 2, INVALID_ARGUMENT = 3, TIMEOUT = 4, EXCEED_LIMIT = 5, ALREADY_JOINED = 6,
  TOO_OFTEN = 7, JOIN_SAME_CHANNEL_TOO_OFTEN = 8, NOT_INITIALIZED = 101, USER_NOT_LOGGED_IN = 102,
};

enum class LeaveChannelErr : int {
  OK = 0, FAILURE = 1, REJECTED = 2, NOT_IN_CHANNEL = 3, NOT_INITIALIZED = 101, USER_NOT_LOGGED_IN = 102,
};

enum class ChannelMessageErr : int {
  OK = 0, FAILURE = 1, SENT_TIMEOUT = 2, TOO_OFTEN = 3, INVALID_MESSAGE = 4, NOT_IN_CHANNEL = 5,
  NOT_INITIALIZED = 101, USER_NOT_LOGGED_IN = 102,
};

enum class GetMembersErr : int {
  OK = 0, FAILURE = 1, REJECTED = 2, TIMEOUT = 3, TOO_OFTEN = 4, NOT_IN_CHANNEL = 5, NOT_INITIALIZED = 101,
  USER_NOT_LOGGED_IN = 102,
};

enum class QueryPeersOnlineStatusErr : int {
  OK = 0, FAILURE = 1, INVALID_ARGUMENT = 2, REJECTED = 3, TIMEOUT = 4, TOO_OFTEN = 5, NOT_INITIALIZED = 101,
  USER_NOT_LOGGED_IN = 102,
};

enum class PeerSubscriptionStatusErr : int {
  OK = 0, FAILURE = 1, INVALID_ARGUMENT = 2, REJECTED = 3, TIMEOUT = 4, TOO_OFTEN = 5, OVERFLOW = 6,
  NOT_INITIALIZED = 101, USER_NOT_LOGGED_IN = 102,
};

enum class QueryPeersBySubscriptionOptionErr : int {
  OK = 0, FAILURE = 1, TIMEOUT = 2, TOO_OFTEN = 3, NOT_INITIALIZED = 101, USER_NOT_LOGGED_IN = 102,
};

enum class AttributeOperationErr : int {
  OK = 0, NOT_READY = 1, FAILURE = 2, INVALID_ARGUMENT = 3, SIZE_OVERFLOW = 4, TOO_OFTEN = 5, USER_NOT_FOUND = 6,
  TIMEOUT = 7, NOT_INITIALIZED = 101, USER_NOT_LOGGED_IN = 102,
};

enum class GetChannelMemberCountErr : int {
  OK = 0, FAILURE = 1, INVALID_ARGUMENT = 2, TOO_OFTEN = 3, TIMEOUT = 4, EXCEED_LIMIT = 5, NOT_INITIALIZED = 101,
  USER_NOT_LOGGED_IN = 102,
};

enum class PeerOnlineState : int { ONLINE = 0, UNREACHABLE = 1, OFFLINE = 2 };
enum class PeerSubscriptionOption : int { ONLINE_STATUS = 0 };

enum class LocalInvitationState : int {
  IDLE = 0, SENT_TO_REMOTE = 1, RECEIVED_BY_REMOTE = 2, ACCEPTED_BY_REMOTE = 3, REFUSED_BY_REMOTE = 4,
  CANCELED = 5, FAILURE = 6,
};
enum class RemoteInvitationState : int {
  IDLE = 0, INVITATION_RECEIVED = 1, ACCEPT_SENT_TO_LOCAL = 2, REFUSED = 3, ACCEPTED = 4, CANCELED = 5, FAILURE = 6,
};
enum class LocalInvitationErr : int { OK = 0, PEER_OFFLINE = 1, PEER_NO_RESPONSE = 2, INVITATION_EXPIRE = 3, NOT_LOGGEDIN = 4 };
enum class RemoteInvitationErr : int { OK = 0, PEER_OFFLINE = 1, ACCEPT_FAILURE = 2, INVITATION_EXPIRE = 3 };
enum class InvitationApiCallErr : int {
  OK = 0, INVALID_ARGUMENT = 1, NOT_STARTED = 2, ALREADY_END = 3, ALREADY_ACCEPT = 4, ALREADY_SENT = 5,
};

// Events of the `inv` frame (server to client).
namespace inv_event {
inline constexpr int INCOMING = 1;          // to the callee: a new invitation
inline constexpr int RECEIVED_BY_PEER = 2;  // to the caller: the callee's SDK has it
inline constexpr int ACCEPTED = 3;          // to the caller, with the response
inline constexpr int REFUSED = 4;           // to the caller, with the response
inline constexpr int CANCELED = 5;          // to the callee
inline constexpr int FAILED = 6;            // to either side, with a reason
inline constexpr int ANSWER_DELIVERED = 7;  // to the callee: its accept reached the caller
}  // namespace inv_event

// Errors about the frames themselves (not an RTM operation result). Sent in an `error` frame; the
// connection stays open unless the WebSocket layer itself had to close it.
enum class ProtocolErr : int {
  MALFORMED_FRAME = 1001,   // not JSON, not an object, or a binary frame with a bad header
  INVALID_FIELD = 1002,     // a required field is missing or has the wrong type
  UNKNOWN_OP = 1003,        // the `op` is not known to this protocol version
  NOT_LOGGED_IN = 1004,     // an operation other than login before a successful login
  TOO_MANY_PENDING = 1005,  // too many unanswered requests on this connection
};

// WebSocket close codes rtmd uses (4000 + the RTM reason where one exists).
namespace close_code {
inline constexpr uint16_t BANNED = 4007;
inline constexpr uint16_t REMOTE_LOGIN = 4008;
inline constexpr uint16_t TOKEN_EXPIRED = 4009;
inline constexpr uint16_t SLOW_CONSUMER = 4100;   // outbound queue overflowed its byte bound
inline constexpr uint16_t LOGIN_TIMEOUT = 4101;   // no login frame in time after the upgrade
inline constexpr uint16_t LOGGED_OUT = 4102;      // the client logged out
inline constexpr uint16_t REPLACED = 4103;        // the same SDK session resumed on a newer connection
}  // namespace close_code

std::string_view name(LoginErr);
std::string_view name(LogoutErr);
std::string_view name(RenewTokenErr);
std::string_view name(ConnectionState);
std::string_view name(ConnectionChangeReason);
std::string_view name(PeerMessageErr);
std::string_view name(ChannelMessageErr);
std::string_view name(ProtocolErr);

}  // namespace rtm
