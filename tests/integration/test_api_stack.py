"""The intake flow on the production stack: `digitize serve` and `digitize worker` as real processes on
Redis + RQ, PostgreSQL and S3, a dossier submitted over HTTP, the webhook received and its signature
checked from the documented scheme.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import requests

from tests.conftest import ROOT, SAMPLES
from tests.integration.test_queue import digitize, stack_env
from tests.servers import free_port, wait_for_port, webhook_receiver

__all__ = ["stack_env"]  # the fixture, imported for pytest


@contextmanager
def process(env: dict[str, str], *args: str) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_dossier_through_serve_worker_and_webhook(stack_env: dict[str, str]) -> None:
    env = stack_env | {
        "SOHOA_API_ALLOW_HTTP_CALLBACKS": "true",
        "SOHOA_API_ALLOW_PRIVATE_CALLBACKS": "true",  # the receiver is a loopback test server
        "SOHOA_API_WEBHOOK_POLL_S": "0.5",
    }
    made = digitize(env, "keys", "add", "portal", "--scopes", "submit,read")
    assert made.returncode == 0, made.stderr
    values = dict(line.split("=", 1) for line in made.stdout.splitlines() if "=" in line)
    key, secret = values["api_key"], values["webhook_secret"]
    port = free_port()
    with ExitStack() as stack:
        hook, received = stack.enter_context(webhook_receiver())
        serve = stack.enter_context(process(env, "serve", "--port", str(port)))
        stack.enter_context(process(env, "worker"))
        wait_for_port(port, timeout=60)
        assert serve.poll() is None
        files = [
            ("files", (name, (SAMPLES / name).read_bytes(), "application/octet-stream"))
            for name in ("birth_extract_clean.png", "death_extract_rotated90.png")
        ]
        form = {"code": "H29-STACK-1", "procedure_code": "1.000656", "agency": "UBND", "channel": "postal"}
        response = requests.post(
            f"http://127.0.0.1:{port}/dossiers",
            headers={"Authorization": f"Bearer {key}", "Idempotency-Key": "stack-1"},
            data=form | {"callback_url": hook},
            files=files,
            timeout=120,
        )
        assert response.status_code == 201, response.text
        dossier_url = f"http://127.0.0.1:{port}{response.json()['status_url']}"
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not any(b"dossier." in r["body"] for r in received):
            time.sleep(0.5)
        events = [json.loads(r["body"]) for r in received]
        assert [e["event"].split(".")[0] for e in events].count("dossier") == 1, events
        assert sorted(e["document"]["name"] for e in events if "document" in e) == [f[1][0] for f in files]
        for request in received:
            headers, body = request["headers"], request["body"]
            stamp = headers["X-Sohoa-Timestamp"]
            mac = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
            assert headers["X-Sohoa-Signature"] == f"v1={mac}"
        dossier = requests.get(dossier_url, headers={"Authorization": f"Bearer {key}"}, timeout=10).json()
        assert dossier["status"] == events[-1]["dossier"]["status"] if "document" not in events[-1] else True
        assert {d["document_type"] for d in dossier["documents"]} == {
            "birth_registration",
            "death_registration",
        }
        for document in dossier["documents"]:
            pdf = requests.get(
                f"http://127.0.0.1:{port}{document['pdf_url']}",
                headers={"Authorization": f"Bearer {key}"},
                timeout=10,
            )
            assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
