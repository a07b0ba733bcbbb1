"""Timestamp authorities: the configured RFC 3161 TSA over HTTP, or the test PKI's own TSA.

`LoopbackTsaServer` serves the test PKI's TSA over HTTP on loopback so tests (and anyone trying the stack
without a real TSA) exercise the same HTTP path production uses. TEST ONLY, like the test PKI.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys, tsp, x509
from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from signing.testpki import TestPki


def http_timestamper(url: str, timeout_s: float) -> TimeStamper:
    return RequestsHTTPTimeStamper(url, timeout=int(max(1, timeout_s)))  # type: ignore[no-untyped-call]


def local_pki_timestamper(pki: TestPki) -> DummyTimeStamper:
    """The test PKI's TSA answering in this process (no network). TEST ONLY."""
    cert: x509.Certificate = load_cert_from_pemder(str(pki.tsa_pem))  # type: ignore[no-untyped-call]
    key: keys.PrivateKeyInfo = load_private_key_from_pemder(str(pki.tsa_key_pem), passphrase=None)
    chain = SimpleCertificateStore.from_certs(
        [load_cert_from_pemder(str(pki.intermediate_pem))]  # type: ignore[no-untyped-call]
    )
    return DummyTimeStamper(tsa_cert=cert, tsa_key=key, certs_to_embed=chain)


class LoopbackTsaServer:
    """An RFC 3161 TSA over HTTP on 127.0.0.1, backed by the test PKI. TEST ONLY."""

    def __init__(self, pki: TestPki, port: int = 0) -> None:
        stamper = local_pki_timestamper(pki)

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                try:
                    reply = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                except Exception:
                    self.send_error(400, "not a TimeStampReq")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/tsa"

    def __enter__(self) -> LoopbackTsaServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
