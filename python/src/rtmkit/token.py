"""Minting Agora-compatible RTM tokens (007 AccessToken2 and 006 AccessToken)."""

from __future__ import annotations

from typing import Optional

from . import _rtmkit as _rtmkit

__all__ = ["build_token_006", "build_token_007"]


def build_token_007(
    app_id: str,
    app_certificate: str,
    user_id: str,
    expire_seconds: int = 3600,
    *,
    issue_ts: Optional[int] = None,
    salt: Optional[int] = None,
) -> str:
    """A 007 RTM token for ``user_id``, valid ``expire_seconds`` from now (or from ``issue_ts``,
    Unix seconds, with a fixed ``salt``: deterministic output). Raises TokenError."""
    return _rtmkit.token_build_007(app_id, app_certificate, user_id, expire_seconds, issue_ts, salt)


def build_token_006(
    app_id: str,
    app_certificate: str,
    user_id: str,
    *,
    ts: Optional[int] = None,
    salt: Optional[int] = None,
    privilege_expired_ts: int = 0,
) -> str:
    """A 006 RTM token for ``user_id``, valid 24 hours (or until ``ts``, Unix seconds, with a fixed
    ``salt``). Raises TokenError."""
    return _rtmkit.token_build_006(app_id, app_certificate, user_id, ts, salt, privilege_expired_ts)
