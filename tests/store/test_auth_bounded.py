"""A burst of sign-ins never runs more argon2 verifications at once than store.auth.VERIFIERS allows."""

from __future__ import annotations

import threading
import time

import store.auth as auth


def test_concurrent_verifications_are_bounded(monkeypatch):
    limit = auth.VERIFIERS._initial_value
    running, peak, lock = [0], [0], threading.Lock()

    class Slow:
        def verify(self, stored, password):
            with lock:
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            time.sleep(0.02)
            with lock:
                running[0] -= 1
            return True

    monkeypatch.setattr(auth, "HASHER", Slow())
    threads = [threading.Thread(target=auth._verify, args=("x", "y")) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 1 <= peak[0] <= limit < 12


def test_one_core_is_left_to_the_server():
    assert [auth.verifiers(n) for n in (None, 1, 2, 3, 4, 5, 8, 64)] == [1, 1, 1, 2, 3, 4, 4, 4]
