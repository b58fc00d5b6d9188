"""Runs every curl example of docs/rest-api.md, as written, against a real rtmd and compares the
answer's `result` and `code` with the JSON shown under the example. usage: rest_doc_test.py RTMD DOC"""

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    rtmd, doc = sys.argv[1], sys.argv[2]
    text = open(doc, encoding="utf-8").read()
    pairs = re.findall(r"```sh\n(curl .*?)```\s*```json\n(.*?)```", text, re.S)
    if len(pairs) < 5:
        print(f"FAIL: only {len(pairs)} curl examples found in {doc}")
        return 1
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        proc = subprocess.Popen(
            [rtmd, "--listen", f"127.0.0.1:{port}", "--data-dir", data, "--rest-credential", "backend:s3cret",
             "--log-level", "warn"])
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 20
            while True:
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2).read()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        print("FAIL: rtmd did not come up")
                        return 1
                    time.sleep(0.05)
            passed = failed = 0
            for command, shown in pairs:
                want = json.loads(shown)
                out = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=30,
                                     env={**os.environ, "RTMD": base})
                try:
                    got = json.loads(out.stdout)
                except ValueError:
                    got = {"unparsable": out.stdout + out.stderr}
                keys = [k for k in ("result", "code") if k in want]
                if all(got.get(k) == want[k] for k in keys) and "request_id" in got:
                    passed += 1
                else:
                    failed += 1
                    print(f"FAIL: {command.strip()}\n  wanted {want}\n  got    {got}")
            print(f"{passed} passed, {failed} failed")
            return 1 if failed else 0
        finally:
            proc.terminate()
            proc.wait(timeout=20)


if __name__ == "__main__":
    sys.exit(main())
