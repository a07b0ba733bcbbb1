"""A real OCSP responder on loopback for the test PKI (TEST ONLY): answers for certificates the test
intermediate issued, signed with the intermediate's key, from a set of revoked serial numbers the tests
change while it runs."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509 import ocsp

from signing.testpki import TestPki


class LoopbackOcspResponder:
    def __init__(self, pki: TestPki, port: int) -> None:
        self.issuer = x509.load_pem_x509_certificate(pki.intermediate_pem.read_bytes())
        key = serialization.load_pem_private_key((pki.folder / "intermediate.key.pem").read_bytes(), None)
        assert isinstance(key, rsa.RSAPrivateKey)
        self.key = key
        self.revoked: dict[int, datetime] = {}
        self.known: set[int] | None = None  # None: every serial is known
        self.requests = 0
        responder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                answer = responder.answer(body)
                self.send_response(200)
                self.send_header("Content-Type", "application/ocsp-response")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *_args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{port}/ocsp"

    def answer(self, body: bytes) -> bytes:
        self.requests += 1
        try:
            request = ocsp.load_der_ocsp_request(body)
        except ValueError:
            return ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.MALFORMED_REQUEST
            ).public_bytes(serialization.Encoding.DER)
        serial = request.serial_number
        now = datetime.now(UTC) - timedelta(minutes=1)
        status, revoked_at = ocsp.OCSPCertStatus.GOOD, None
        if serial in self.revoked:
            status, revoked_at = ocsp.OCSPCertStatus.REVOKED, self.revoked[serial]
        elif self.known is not None and serial not in self.known:
            status = ocsp.OCSPCertStatus.UNKNOWN
        builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
            request.issuer_name_hash,
            request.issuer_key_hash,
            serial,
            request.hash_algorithm,
            status,
            now,
            now + timedelta(days=1),
            revoked_at,
            x509.ReasonFlags.key_compromise if revoked_at else None,
        )
        builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, self.issuer)
        return builder.sign(self.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def revoke(self, serial: int) -> None:
        self.revoked[serial] = datetime.now(UTC) - timedelta(minutes=2)

    def __enter__(self) -> LoopbackOcspResponder:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.server.shutdown()
        self.server.server_close()
