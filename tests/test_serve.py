"""`mognad serve` stops when told to: SIGTERM or SIGINT to the process a supervisor started ends the server
and frees its port (the wrapper used to exit alone and leave Streamlit running)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request

import pytest

from tests.browser.conftest import free_port, wait_healthy
from tests.conftest import ROOT


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_mognad_serve_stops_the_server(tmp_path, signal_number):
    url_db = f"sqlite:///{tmp_path}/m.sqlite"
    env = {**os.environ, "MOGNAD_DATABASE_URL": url_db}
    subprocess.run([sys.executable, "-m", "cli", "db", "upgrade"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--port", str(port), "--address", "127.0.0.1"],
                               env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        process.send_signal(signal_number)  # to the pid a supervisor knows: mognad serve's own
        process.wait(timeout=20)
        assert not _answers(url), "the server still answers after its process was told to stop"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
