"""Webhook delivery over HTTPS connects to the address it checked and still verifies the host name."""

from __future__ import annotations

import ssl
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from digitize.config import ApiConfig
from workers.webhooks import pinned_post


def certificate(folder: Path, host: str) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (folder / f"{host}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (folder / f"{host}.key").write_bytes(key_pem)
    return folder / f"{host}.pem", folder / f"{host}.key"


def https_receiver(cert: Path, key: Path, seen: list[str]) -> ThreadingHTTPServer:
    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            seen.append(self.headers["Host"])
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_https_delivery_to_the_checked_address_verifies_the_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good_cert, good_key = certificate(tmp_path, "localhost")
    seen: list[str] = []
    server = https_receiver(good_cert, good_key, seen)
    port = server.server_address[1]
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(good_cert))
    lab = ApiConfig(allow_private_callbacks=True)  # the receiver is on loopback
    try:
        assert pinned_post(f"https://localhost:{port}/hook", b"{}", {}, 5.0, lab) == 204
        assert seen == [f"localhost:{port}"]  # the name travelled in Host and TLS, the IP was dialled
    finally:
        server.shutdown()
    wrong_cert, wrong_key = certificate(tmp_path, "portal.example")  # trusted, but for another name
    impostor = https_receiver(wrong_cert, wrong_key, seen)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(wrong_cert))
    try:
        with pytest.raises(requests.exceptions.SSLError):
            pinned_post(f"https://localhost:{impostor.server_address[1]}/hook", b"{}", {}, 5.0, lab)
    finally:
        impostor.shutdown()
