"""`trygg serve` in a real process: it creates and migrates its database on first use and answers on its port."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_migrates_on_first_use_and_answers(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}", "SECRET_KEY": "test-only"}
    server = subprocess.Popen([sys.executable, "-m", "trygg", "serve", "--port", str(port)], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/halsa/", timeout=2) as response:
                    health = json.load(response)
                break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "trygg serve did not answer within 60 s"
                time.sleep(0.3)
        assert health == {"status": "ok", "database": "ok", "migrations": "ok"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert "Medborgarlöften för trygghet" in response.read().decode()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/trygg/style.css", timeout=5) as response:
            assert b"svg.map" in response.read()
        assert (tmp_path / "fresh.sqlite3").exists()
    finally:
        server.terminate()
        server.wait(timeout=10)
