"""``summitry serve --demo`` starts a real server that the printed log-ins open."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2

from summitry.web.demo import DEMO_PASSWORD


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def wait_for(url: str, server: subprocess.Popen[str]) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise AssertionError(
                f"the server stopped: {server.stdout.read() if server.stdout else ''}"
            )
        try:
            httpx2.get(url, timeout=1)
        except httpx2.TransportError:
            time.sleep(0.1)
        else:
            return
    raise AssertionError("the server did not start")


def test_serve_demo_prints_log_ins_that_work(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "SUMMITRY_AUDIT_KEY": "serve-test"}
    env.pop("SUMMITRY_DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "summitry", "serve", "--demo", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/login", server)
        with httpx2.Client(base_url=base) as browser:
            signed = browser.post(
                "/login", data={"username": "ru-editor", "password": DEMO_PASSWORD}
            )
            assert signed.status_code == 303
            page = browser.get("/w/demo")
            assert page.status_code == 200
            assert "Preparation aspects" in page.text
            assert browser.get("/api/v1/me").json()["username"] == "ru-editor"
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert "ru-editor" in output
    assert DEMO_PASSWORD in output
    assert not (tmp_path / "summitry.db").exists()  # the demo's database is a throwaway


def test_serve_without_a_database_says_what_to_do(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "summitry", "serve", "--port", str(free_port())],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "SUMMITRY_DATABASE_URL"},
    )
    assert done.returncode == 2
    assert "serve --demo" in done.stderr
    assert done.stderr.count("\n") == 1


def test_production_needs_a_secret_key(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("SUMMITRY_SECRET_KEY",)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "summitry",
            "serve",
            "--demo",
            "--production",
            "--port",
            str(free_port()),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 2
    assert "SUMMITRY_SECRET_KEY" in done.stderr
