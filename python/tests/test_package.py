"""The package itself: enums against the library, versions, shutdown with live clients, and the
built wheel installed into a fresh virtual environment."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import venv

import pytest

import rtmkit
from rtmkit import _rtmkit
from rtmkit._enums import OP_CODES


def test_enums_match_the_library():
    for op, (enum_cls, prefix) in OP_CODES.items():
        codes = _rtmkit.op_err_codes(int(op))
        assert sorted(codes) == sorted(int(m) for m in enum_cls), enum_cls
        for code in codes:
            assert _rtmkit.op_err2name(int(op), code) == prefix + enum_cls(code).name
    lib = _rtmkit.err_codes()
    assert sorted(lib) == sorted(int(m) for m in rtmkit.ErrorCode)
    for code in lib:
        name = _rtmkit.err2name(code)
        assert name in ("RTM_OK", "RTM_ERR_" + rtmkit.ErrorCode(code).name)
        assert _rtmkit.err2str(code)
    for s in rtmkit.ConnectionState:
        assert _rtmkit.connection_state_name(int(s)) == "RTM_CONNECTION_STATE_" + s.name
    for r in rtmkit.ConnectionChangeReason:
        assert _rtmkit.connection_change_reason_name(int(r)) == "RTM_CONNECTION_CHANGE_REASON_" + r.name
    assert set(_rtmkit.EVENTS) >= {"login_success", "remote_invitation_failure"}
    with pytest.raises(rtmkit.LibraryError) as e:
        _rtmkit.op_err_codes(99)
    assert e.value.code == rtmkit.ErrorCode.INVALID_ARG


def test_versions_and_errors():
    assert rtmkit.library_version() == rtmkit.__version__
    assert _rtmkit.abi_version() == _rtmkit.ABI_VERSION
    e = rtmkit._errors._error(int(rtmkit.Op.LOGIN), 8, "detail")
    assert isinstance(e, rtmkit.LoginError) and e.code is rtmkit.LoginErrorCode.ALREADY_LOGGED_IN
    assert str(e) == "ALREADY_LOGGED_IN (8): detail"
    unknown = rtmkit._errors._error(int(rtmkit.Op.LOGIN), 77)
    assert unknown.code == 77 and unknown.name == "77"  # a code newer than this package
    assert rtmkit.Message.of("x").type == rtmkit.MessageType.TEXT
    assert rtmkit.Message.of(b"x").type == rtmkit.MessageType.RAW


EXIT_SCRIPT = """
import threading, rtmkit, rtmkit.aio, asyncio
server = rtmkit.Server(rate_limits="off", store_sync=False, log_level="error")
a = rtmkit.Client("app", url=server.url)
b = rtmkit.Client("app", url=server.url)
got = threading.Event()
def on_message(peer, m):
    got.set()
    raise RuntimeError("ignored at exit")
b.on("message_received_from_peer", on_message)
ok = threading.Barrier(3)
a.on("login_success", lambda: ok.wait())
b.on("login_success", lambda: ok.wait())
a.login("a"); b.login("b")
ok.wait(15)
for i in range(2000):
    a.send_message_to_peer("b", "flood")
got.wait(15)
print("leaving with", rtmkit._rtmkit.live_clients(), "live clients")
"""


def test_interpreter_exit_with_live_clients(tmp_path):
    """Clients still open (and busy) at exit are closed by the atexit hook: the process ends."""
    script = tmp_path / "exit.py"
    script.write_text(EXIT_SCRIPT)
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "leaving with 2 live clients" in r.stdout


@pytest.mark.skipif(not os.environ.get("RTMKIT_WHEEL"), reason="RTMKIT_WHEEL (a built wheel) is not set")
def test_wheel_in_a_fresh_virtualenv(tmp_path):
    """The wheel installs into an empty virtual environment and works there: self-contained."""
    wheel = os.environ["RTMKIT_WHEEL"]
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-index", wheel], check=True, timeout=300, env=clean)
    code = textwrap.dedent(
        """
        import asyncio, ssl, sys, rtmkit, rtmkit.aio
        assert rtmkit.__file__.startswith(sys.prefix), rtmkit.__file__
        async def main():
            with rtmkit.Server(rate_limits="off", store_sync=False, log_level="error") as s:
                async with rtmkit.aio.Client("app", url=s.url) as a, rtmkit.aio.Client("app", url=s.url) as b:
                    await a.login("a"); await b.login("b")
                    msgs = b.messages()
                    await a.send_message_to_peer("b", "from the wheel")
                    print((await msgs.get(15)).text, ssl.OPENSSL_VERSION.split()[0])
        asyncio.run(main())
        """
    )
    r = subprocess.run([str(py), "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path, env=clean)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "from the wheel OpenSSL"
