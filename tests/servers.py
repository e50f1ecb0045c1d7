"""gunicorn instances of the app, served as `make serve` does, for tests of real processes."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRETS = {"SECRET_KEY": "s" * 40, "JWT_SECRET_KEY": "j" * 40}
STARTUP_SECONDS = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(**settings) -> dict:
    # Rate limits off, as in TEST_CONFIG: these tests sign up more users than a real client would.
    limits = {"RATE_LIMITS_ENABLED": "0"}
    return {**os.environ, "APP_ENV": "production", "WEB_CONCURRENCY": "2", **limits, **settings}


class Instance:
    """One gunicorn master serving the app, spoken to over HTTP."""

    def __init__(self, name: str, env: dict, log_dir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log_dir / f"{name}.stderr"
        with self.log.open("wb") as stderr:
            self.process = subprocess.Popen(
                [BIN / "gunicorn", "-c", "gunicorn.conf.py", "api:create_app()"],
                cwd=ROOT,
                env={**env, "HOST": "127.0.0.1", "PORT": str(self.port)},
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                # A process group of its own, the master's pid: `kill` reaches it and its workers.
                start_new_session=True,
            )

    def request(self, method: str, path: str, body=None, token=None, headers=None):
        """(status, JSON body, headers) of one request."""
        request = urllib.request.Request(
            self.url + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        if token:
            request.add_header("Authorization", f"Token {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or "null"), response.headers
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or "null"), error.headers

    def wait_until_ready(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited with {self.process.returncode}:\n{self.stderr()}")
            try:
                if self.request("GET", "/readyz")[0] == 200:
                    return
            except OSError:
                pass  # not listening yet
            time.sleep(0.1)
        pytest.fail(f"{self.url}/readyz did not answer 200 in time:\n{self.stderr()}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def kill(self) -> int:
        """SIGKILL the master and every worker at once, as a crash or the OOM killer would: no
        shutdown of any kind. The number of processes killed; returns once all are gone."""
        group = self.process.pid
        killed = len(living_members(group))
        os.killpg(group, signal.SIGKILL)
        self.process.wait()
        deadline = time.monotonic() + 10
        while living_members(group) and time.monotonic() < deadline:
            time.sleep(0.05)  # the orphaned workers, until their new parent reaps them
        assert not living_members(group), f"still running: {living_members(group)}"
        return killed

    def stderr(self) -> str:
        return self.log.read_text()


def living_members(group: int) -> list[int]:
    """The pids of the processes of this process group that still run (zombies do not)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The name, in parentheses, may hold spaces: the fields after it are fixed.
            state, _parent, pgrp = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except OSError:
            continue  # gone meanwhile
        if int(pgrp) == group and state not in ("Z", "X"):
            pids.append(int(stat.parent.name))
    return pids


@contextmanager
def serving(count: int, env: dict, log_dir: Path):
    """`count` gunicorn instances, each ready, stopped on the way out."""
    with ExitStack() as stack:
        instances = []
        for name in "ABCDEFGH"[:count]:
            instance = Instance(name, env, log_dir)
            stack.callback(instance.stop)
            instances.append(instance)
        deadline = time.monotonic() + STARTUP_SECONDS
        for instance in instances:
            instance.wait_until_ready(deadline)
        yield instances


def run_together(calls):
    with ThreadPoolExecutor(max_workers=20) as pool:
        return [future.result() for future in [pool.submit(call) for call in calls]]


def register(instance, username: str) -> str:
    user = {"username": username, "email": f"{username}@example.com", "password": "password123"}
    status, body, _ = instance.request("POST", "/api/users", {"user": user})
    assert status == 201, body
    return body["user"]["token"]
