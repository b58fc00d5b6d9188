"""The embedded server's HTTP endpoints, read as an operator's tools read them: /metrics parsed by
the Prometheus client library's own parser, /healthz and /readyz by plain HTTP."""

from __future__ import annotations

import urllib.request

from conftest import login
from prometheus_client.parser import text_string_to_metric_families

import rtmkit


def _get(server: rtmkit.Server, path: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}", timeout=10) as r:
        return r.status, r.headers["Content-Type"], r.read().decode()


def _samples(server: rtmkit.Server) -> dict[tuple[str, tuple], float]:
    status, ctype, body = _get(server, "/metrics")
    assert status == 200 and ctype.startswith("text/plain; version=0.0.4")
    out = {}
    for family in text_string_to_metric_families(body):  # raises on anything the format forbids
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def test_health_and_ready(server):
    assert _get(server, "/healthz")[0::2] == (200, "ok\n")
    assert _get(server, "/readyz")[0::2] == (200, "ready\n")


def test_metrics_count_an_acknowledged_peer_message(make_client, server):
    before = _samples(server)
    ok = ("rtmd_peer_messages_total", (("result", "ok"),))
    logins = ("rtmd_logins_total", (("result", "ok"),))
    a, ra = make_client()
    b, rb = make_client()
    login(a, ra, "metrics-a")
    login(b, rb, "metrics-b")
    mid = a.send_message_to_peer("metrics-b", "counted")
    assert ra.wait("send_message_result", lambda i, code: i == mid)[1] == rtmkit.PeerMessageErrorCode.OK
    after = _samples(server)
    assert after[ok] == before.get(ok, 0) + 1
    assert after[logins] == before.get(logins, 0) + 2
    assert after[("rtmd_online_users", (("app", "app"),))] >= 2
    assert after[("process_resident_memory_bytes", ())] > 1_000_000
