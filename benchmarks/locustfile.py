"""Load for the benchmark's throughput figures: one page, many signed-in users.

    BENCH_PATH=/tasks/ BENCH_COOKIE='sessionid=…' locust -f benchmarks/locustfile.py --headless \
        -u 20 -r 20 -t 15s --host http://127.0.0.1:8123 --csv out

`bench` starts gunicorn and runs this twice per server: the task list, then the minimal view
(`/healthz`), so the two figures come from the same server under the same load.
"""

from __future__ import annotations

import os

from locust import FastHttpUser, constant, task

PATH = os.environ.get("BENCH_PATH", "/healthz")
COOKIE = os.environ.get("BENCH_COOKIE", "")


class SignedInUser(FastHttpUser):
    """A liaison officer reloading one page as fast as the server answers (no think time)."""

    wait_time = constant(0)

    @task
    def page(self) -> None:
        headers = {"Cookie": COOKIE} if COOKIE else {}
        with self.client.get(PATH, headers=headers, catch_response=True) as response:
            # A redirect to the login page would be a fast wrong answer: count it as a failure.
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
