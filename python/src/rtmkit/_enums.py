"""The RTM 1.x enumerations, with the numeric values of the C ABI (capi/include/rtmkit/types.h).

The test suite checks every member against the names and codes the loaded library reports
(``rtm_get_op_err_codes``, ``rtm_op_err2name``, ``rtm_err2name``), so they cannot drift apart.
"""

from __future__ import annotations

import enum
from typing import TypeVar

__all__ = [
    "AttributeOperationErrorCode",
    "ChannelMessageErrorCode",
    "ConnectionChangeReason",
    "ConnectionState",
    "ErrorCode",
    "GetChannelMemberCountErrorCode",
    "GetMembersErrorCode",
    "InvitationApiCallErrorCode",
    "JoinChannelErrorCode",
    "LeaveChannelErrorCode",
    "LocalInvitationErrorCode",
    "LocalInvitationState",
    "LoginErrorCode",
    "LogoutErrorCode",
    "MessageType",
    "Op",
    "PeerMessageErrorCode",
    "PeerOnlineState",
    "PeerSubscriptionOption",
    "PeerSubscriptionStatusErrorCode",
    "QueryPeersBySubscriptionOptionErrorCode",
    "QueryPeersOnlineStatusErrorCode",
    "RemoteInvitationErrorCode",
    "RemoteInvitationState",
    "RenewTokenErrorCode",
]


class ErrorCode(enum.IntEnum):
    """Errors of the library itself (``enum rtm_err``): always negative."""

    OK = 0
    INVALID_ARG = -1
    NO_MEMORY = -2
    INTERNAL = -3
    INVALID_STATE = -4
    BUFFER_TOO_SMALL = -5
    UNKNOWN_KEY = -6
    INVALID_VALUE = -7
    INCOMPATIBLE = -8
    TOKEN = -9
    SERVER_START = -10
    UNSUPPORTED_VERSION = -11


class Op(enum.IntEnum):
    """The RTM operations whose result codes the library reports (``rtm_op_t``)."""

    LOGIN = 1
    LOGOUT = 2
    RENEW_TOKEN = 3
    SEND_PEER_MESSAGE = 4
    JOIN_CHANNEL = 5
    LEAVE_CHANNEL = 6
    SEND_CHANNEL_MESSAGE = 7
    GET_MEMBERS = 8
    QUERY_PEERS_ONLINE_STATUS = 9
    PEER_SUBSCRIPTION = 10
    QUERY_PEERS_BY_SUBSCRIPTION_OPTION = 11
    ATTRIBUTE_OPERATION = 12
    GET_CHANNEL_MEMBER_COUNT = 13
    INVITATION_API_CALL = 14


class LoginErrorCode(enum.IntEnum):
    OK = 0
    UNKNOWN = 1
    REJECTED = 2
    INVALID_ARGUMENT = 3
    INVALID_APP_ID = 4
    INVALID_TOKEN = 5
    TOKEN_EXPIRED = 6
    NOT_AUTHORIZED = 7
    ALREADY_LOGGED_IN = 8
    TIMEOUT = 9
    TOO_OFTEN = 10
    NOT_INITIALIZED = 101


class LogoutErrorCode(enum.IntEnum):
    OK = 0
    REJECTED = 1
    NOT_INITIALIZED = 101
    USER_NOT_LOGGED_IN = 102


class RenewTokenErrorCode(enum.IntEnum):
    OK = 0
    FAILURE = 1
    INVALID_ARGUMENT = 2
    REJECTED = 3
    TOO_OFTEN = 4
    TOKEN_EXPIRED = 5
    INVALID_TOKEN = 6
    NOT_INITIALIZED = 101
    USER_NOT_LOGGED_IN = 102


class PeerMessageErrorCode(enum.IntEnum):
    OK = 0
    FAILURE = 1
    SENT_TIMEOUT = 2
    PEER_UNREACHABLE = 3
    CACHED_BY_SERVER = 4
    TOO_OFTEN = 5
    INVALID_USERID = 6
    INVALID_MESSAGE = 7
    IMCOMPATIBLE_MESSAGE = 8  # Agora's spelling
    NOT_INITIALIZED = 101
    USER_NOT_LOGGED_IN = 102


class JoinChannelErrorCode(enum.IntEnum):
    OK = 0
    FAILURE = 1
    REJECTED = 2
    INVALID_ARGUMENT = 3
    TIMEOUT = 4
    EXCEED_LIMIT = 5
    ALREADY_JOINED = 6
    TOO_OFTEN = 7
    JOIN_SAME_CHANNEL_TOO_OFTEN = 8
    NOT_INITIALIZED = 101
    USER_NOT_LOGGED_IN = 102


class LeaveChannelErrorCode(enum.IntEnum):
    OK = 0
    FAILURE = 1
    REJECTED = 2
    NOT_IN_CHANNEL = 3
    NOT_INITIALIZED = 101
    USER_NOT_LOGGED_IN = 102


class ChannelMessageErrorCode(enum.IntEnum):
    OK = 0
    FAILURE = 1
    SENT_TIMEOUT = 2
    TOO_OFTEN = 3
    INVALID_MESSAGE = 4
    NOT_IN_CHANNEL = 5
    NOT_INITIALIZED = 101
    USER_NOT_LOGGED_IN = 102


class GetMembersErrorCode(enum.IntEnum):
    OK = 0
    FAILURE = 1
    REJECTED = 2
    TIMEOUT = 3
    TOO_OFTEN = 4
    NOT_IN_CHANNEL = 5
    NOT_INITIALIZED = 101
    USER_NOT_LOGGED_IN = 102


class QueryPeersOnlineStatusErrorCode(enum.IntEnum):
    OK = 0
    FAILURE = 1
    INVALID_ARGUMENT = 2
    REJECTED = 3
    TIMEOUT = 4
    TOO_OFTEN = 5
    NOT_INITIALIZED = 101
    USER_NOT_LOGGED_IN = 102


class PeerSubscriptionStatusErrorCode(enum.IntEnum):
    OK = 0
    FAILURE = 1
    INVALID_ARGUMENT = 2
    REJECTED = 3
    TIMEOUT = 4
    TOO_OFTEN = 5
    OVERFLOW = 6
    NOT_INITIALIZED = 101
    USER_NOT_LOGGED_IN = 102


class QueryPeersBySubscriptionOptionErrorCode(enum.IntEnum):
    OK = 0
    FAILURE = 1
    TIMEOUT = 2
    TOO_OFTEN = 3
    NOT_INITIALIZED = 101
    USER_NOT_LOGGED_IN = 102


class AttributeOperationErrorCode(enum.IntEnum):
    OK = 0
    NOT_READY = 1
    FAILURE = 2
    INVALID_ARGUMENT = 3
    SIZE_OVERFLOW = 4
    TOO_OFTEN = 5
    USER_NOT_FOUND = 6
    TIMEOUT = 7
    NOT_INITIALIZED = 101
    USER_NOT_LOGGED_IN = 102


class GetChannelMemberCountErrorCode(enum.IntEnum):
    OK = 0
    FAILURE = 1
    INVALID_ARGUMENT = 2
    TOO_OFTEN = 3
    TIMEOUT = 4
    EXCEED_LIMIT = 5
    NOT_INITIALIZED = 101
    USER_NOT_LOGGED_IN = 102


class InvitationApiCallErrorCode(enum.IntEnum):
    OK = 0
    INVALID_ARGUMENT = 1
    NOT_STARTED = 2
    ALREADY_END = 3
    ALREADY_ACCEPT = 4
    ALREADY_SENT = 5


class LocalInvitationErrorCode(enum.IntEnum):
    OK = 0
    PEER_OFFLINE = 1
    PEER_NO_RESPONSE = 2
    INVITATION_EXPIRE = 3
    NOT_LOGGEDIN = 4


class RemoteInvitationErrorCode(enum.IntEnum):
    OK = 0
    PEER_OFFLINE = 1
    ACCEPT_FAILURE = 2
    INVITATION_EXPIRE = 3


class LocalInvitationState(enum.IntEnum):
    IDLE = 0
    SENT_TO_REMOTE = 1
    RECEIVED_BY_REMOTE = 2
    ACCEPTED_BY_REMOTE = 3
    REFUSED_BY_REMOTE = 4
    CANCELED = 5
    FAILURE = 6


class RemoteInvitationState(enum.IntEnum):
    IDLE = 0
    INVITATION_RECEIVED = 1
    ACCEPT_SENT_TO_LOCAL = 2
    REFUSED = 3
    ACCEPTED = 4
    CANCELED = 5
    FAILURE = 6


class PeerOnlineState(enum.IntEnum):
    ONLINE = 0
    UNREACHABLE = 1
    OFFLINE = 2


class PeerSubscriptionOption(enum.IntEnum):
    ONLINE_STATUS = 0


class ConnectionState(enum.IntEnum):
    DISCONNECTED = 1
    CONNECTING = 2
    CONNECTED = 3
    RECONNECTING = 4
    ABORTED = 5


class ConnectionChangeReason(enum.IntEnum):
    LOGIN = 1
    LOGIN_SUCCESS = 2
    LOGIN_FAILURE = 3
    LOGIN_TIMEOUT = 4
    INTERRUPTED = 5
    LOGOUT = 6
    BANNED_BY_SERVER = 7
    REMOTE_LOGIN = 8
    TOKEN_EXPIRED = 9


class MessageType(enum.IntEnum):
    UNDEFINED = 0
    TEXT = 1
    RAW = 2


#: The code family of each operation, and the C prefix of its enumerator names.
OP_CODES: dict[Op, tuple[type[enum.IntEnum], str]] = {
    Op.LOGIN: (LoginErrorCode, "RTM_LOGIN_ERR_"),
    Op.LOGOUT: (LogoutErrorCode, "RTM_LOGOUT_ERR_"),
    Op.RENEW_TOKEN: (RenewTokenErrorCode, "RTM_RENEW_TOKEN_ERR_"),
    Op.SEND_PEER_MESSAGE: (PeerMessageErrorCode, "RTM_PEER_MESSAGE_ERR_"),
    Op.JOIN_CHANNEL: (JoinChannelErrorCode, "RTM_JOIN_CHANNEL_ERR_"),
    Op.LEAVE_CHANNEL: (LeaveChannelErrorCode, "RTM_LEAVE_CHANNEL_ERR_"),
    Op.SEND_CHANNEL_MESSAGE: (ChannelMessageErrorCode, "RTM_CHANNEL_MESSAGE_ERR_"),
    Op.GET_MEMBERS: (GetMembersErrorCode, "RTM_GET_MEMBERS_ERR_"),
    Op.QUERY_PEERS_ONLINE_STATUS: (QueryPeersOnlineStatusErrorCode, "RTM_QUERY_PEERS_ONLINE_STATUS_ERR_"),
    Op.PEER_SUBSCRIPTION: (PeerSubscriptionStatusErrorCode, "RTM_PEER_SUBSCRIPTION_STATUS_ERR_"),
    Op.QUERY_PEERS_BY_SUBSCRIPTION_OPTION: (
        QueryPeersBySubscriptionOptionErrorCode,
        "RTM_QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_",
    ),
    Op.ATTRIBUTE_OPERATION: (AttributeOperationErrorCode, "RTM_ATTRIBUTE_OPERATION_ERR_"),
    Op.GET_CHANNEL_MEMBER_COUNT: (GetChannelMemberCountErrorCode, "RTM_GET_CHANNEL_MEMBER_COUNT_ERR_"),
    Op.INVITATION_API_CALL: (InvitationApiCallErrorCode, "RTM_INVITATION_API_CALL_ERR_"),
}

E = TypeVar("E", bound=enum.IntEnum)


def to_enum(cls: type[E], value: int) -> E | int:
    """``cls(value)``, or the plain int for a value this version does not know (a newer library)."""
    try:
        return cls(value)
    except ValueError:
        return value
