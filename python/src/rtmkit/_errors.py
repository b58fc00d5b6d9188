"""Exceptions. Every failure of an RTM operation raises an RtmError that carries the RTM code."""

from __future__ import annotations

import enum

from ._enums import (
    OP_CODES,
    ErrorCode,
    LocalInvitationErrorCode,
    Op,
    RemoteInvitationErrorCode,
    to_enum,
)

__all__ = [
    "AttributeOperationError",
    "ChannelMessageError",
    "ClientClosedError",
    "GetChannelMemberCountError",
    "GetMembersError",
    "InvalidStateError",
    "InvitationApiCallError",
    "JoinChannelError",
    "LeaveChannelError",
    "LibraryError",
    "LocalInvitationError",
    "LoginError",
    "LogoutError",
    "PeerMessageError",
    "PeerSubscriptionError",
    "QueryPeersBySubscriptionOptionError",
    "QueryPeersOnlineStatusError",
    "RemoteInvitationError",
    "RenewTokenError",
    "RtmError",
    "TokenError",
]


class RtmError(Exception):
    """An RTM operation failed.

    ``code`` is the RTM 1.x result code of the operation (an enum of its family, e.g.
    LoginErrorCode), or for failures of the library itself a negative ErrorCode. ``op`` is the
    operation (None for library errors) and ``detail`` the library's message, if any.
    """

    op: Op | None = None

    def __init__(self, code: int, detail: str = "") -> None:
        self.code = code
        self.detail = detail
        name = code.name if isinstance(code, enum.Enum) else str(code)
        text = f"{name} ({int(code)})"
        if detail:
            text += f": {detail}"
        super().__init__(text)

    @property
    def name(self) -> str:
        """The code's name, e.g. ``"ALREADY_LOGGED_IN"``."""
        return self.code.name if isinstance(self.code, enum.Enum) else str(self.code)


class LibraryError(RtmError):
    """A failure of the library itself: ``code`` is a negative ErrorCode (bad argument, bad
    configuration key or value, a closed client...)."""


class InvalidStateError(LibraryError):
    """Not allowed now (ErrorCode.INVALID_STATE): e.g. closing a client from its own callback, or
    polling a client that dispatches on its own thread."""


class ClientClosedError(InvalidStateError):
    """The client (or channel, or server) is closed: ErrorCode.INVALID_STATE."""


class TokenError(LibraryError):
    """A token could not be built: ErrorCode.TOKEN."""


class LoginError(RtmError):
    op = Op.LOGIN


class LogoutError(RtmError):
    op = Op.LOGOUT


class RenewTokenError(RtmError):
    op = Op.RENEW_TOKEN


class PeerMessageError(RtmError):
    op = Op.SEND_PEER_MESSAGE


class JoinChannelError(RtmError):
    op = Op.JOIN_CHANNEL


class LeaveChannelError(RtmError):
    op = Op.LEAVE_CHANNEL


class ChannelMessageError(RtmError):
    op = Op.SEND_CHANNEL_MESSAGE


class GetMembersError(RtmError):
    op = Op.GET_MEMBERS


class QueryPeersOnlineStatusError(RtmError):
    op = Op.QUERY_PEERS_ONLINE_STATUS


class PeerSubscriptionError(RtmError):
    op = Op.PEER_SUBSCRIPTION


class QueryPeersBySubscriptionOptionError(RtmError):
    op = Op.QUERY_PEERS_BY_SUBSCRIPTION_OPTION


class AttributeOperationError(RtmError):
    op = Op.ATTRIBUTE_OPERATION


class GetChannelMemberCountError(RtmError):
    op = Op.GET_CHANNEL_MEMBER_COUNT


class InvitationApiCallError(RtmError):
    op = Op.INVITATION_API_CALL


class LocalInvitationError(RtmError):
    """A sent invitation failed (local_invitation_failure): code is a LocalInvitationErrorCode."""


class RemoteInvitationError(RtmError):
    """A received invitation failed (remote_invitation_failure): code is a RemoteInvitationErrorCode."""


_BY_OP: dict[int, type[RtmError]] = {
    cls.op: cls
    for cls in (
        LoginError,
        LogoutError,
        RenewTokenError,
        PeerMessageError,
        JoinChannelError,
        LeaveChannelError,
        ChannelMessageError,
        GetMembersError,
        QueryPeersOnlineStatusError,
        PeerSubscriptionError,
        QueryPeersBySubscriptionOptionError,
        AttributeOperationError,
        GetChannelMemberCountError,
        InvitationApiCallError,
    )
    if cls.op is not None
}


def _error(op: int, code: int, detail: str = "") -> RtmError:
    """The exception for `code` returned by operation `op` (0: a library error, -1: closed)."""
    if op == -1:
        return ClientClosedError(ErrorCode.INVALID_STATE, detail)
    if code < 0 or op == 0:
        ec = to_enum(ErrorCode, code)
        if ec == ErrorCode.INVALID_STATE:
            return InvalidStateError(ec, detail)
        if ec == ErrorCode.TOKEN:
            return TokenError(ec, detail)
        return LibraryError(ec, detail)
    cls = _BY_OP.get(op, RtmError)
    family = OP_CODES.get(Op(op)) if op in Op._value2member_map_ else None
    return cls(to_enum(family[0], code) if family else code, detail)


def result_error(op: Op, code: int) -> RtmError:
    """The exception for a failure reported by a result callback of `op`."""
    return _error(int(op), code)


def local_invitation_error(code: int) -> LocalInvitationError:
    return LocalInvitationError(to_enum(LocalInvitationErrorCode, code))


def remote_invitation_error(code: int) -> RemoteInvitationError:
    return RemoteInvitationError(to_enum(RemoteInvitationErrorCode, code))
