"""`python -m sandbox` prints a readable banner with the back office login, and Ctrl-C stops all."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_sandbox_prints_its_addresses_and_ctrl_c_stops_the_embedded_database(tmp_path):
    data_dir = tmp_path / "pgdata"
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    ports = [str(_port()) for _ in range(4)]
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", ports[0], "--bank-port", ports[1],
         "--line-port", ports[2], "--linepay-port", ports[3], "--data-dir", str(data_dir)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        banner = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not any("Ctrl-C" in line for line in banner):
            banner.append(process.stdout.readline())
        text = "".join(banner)
        assert "Ctrl-C to stop" in text, text
        assert f"http://127.0.0.1:{ports[2]}/chat" in text
        assert f"http://127.0.0.1:{ports[0]}/admin   login owner@example.com / " in text
        assert f"http://127.0.0.1:{ports[0]}/liff/" in text
        assert f"http://127.0.0.1:{ports[3]}/_emulator/transactions" in text  # LINE Pay
        assert (data_dir / "postmaster.pid").exists()
    finally:
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=60)
    assert process.returncode == 0, errors
    assert not (data_dir / "postmaster.pid").exists()  # PostgreSQL was stopped, not left running
    assert "INFO pgserver" not in errors and "Traceback" not in errors
