"""`digitize serve` (the intake API) and `digitize keys` (intake systems' API keys)."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from digitize.config import Config
from digitize.errors import EXIT_OK, EXIT_USAGE
from storage.repository import intake
from workers.jobs import open_storage


def serve_command(args: argparse.Namespace, config: Config) -> int:
    import uvicorn

    from web.app import create_app, serving
    from workers import logs

    logs.configure("api", json_lines=args.log_json)
    for noisy in ("fontTools", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    class Server(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets)
            if self.started:
                print(ready_message(args.host, args.port), flush=True)

    with serving(config) as context:
        app = create_app(context)
        settings = uvicorn.Config(app, host=args.host, port=args.port, access_log=False, log_level="warning")
        Server(settings).run()
    return EXIT_OK


def ready_message(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{shown}:{port}"
    return (
        f"số hóa is listening on {base}\n"
        f"  intake API: {base}/docs (OpenAPI at {base}/openapi.json)\n"
        f"  review station: {base}/login\n"
        f"  health: {base}/health · stop with Ctrl+C"
    )


def keys_command(args: argparse.Namespace, config: Config) -> int:
    storage = open_storage(config)
    try:
        if args.action == "list":
            for c in intake.list_clients(storage.db):
                state = "revoked" if c.revoked else "active"
                print(
                    f"{c.name}\t{c.key_prefix}\t{','.join(c.scopes)}\t{c.rate_per_minute or '-'}/min\t"
                    f"{c.agency or '*'}\t{state}"
                )
            return EXIT_OK
        if not args.name:
            print("digitize keys: name the intake system", flush=True)
            return EXIT_USAGE
        if args.action == "revoke":
            done = intake.revoke_client(storage.db, args.name)
            print(f"{args.name}: {'revoked' if done else 'no active key with that name or prefix'}")
            return EXIT_OK if done else EXIT_USAGE
        scopes = tuple(s.strip() for s in args.scopes.split(",") if s.strip())
        new = intake.create_client(storage.db, args.name, scopes, args.rate, args.agency)
        print(f"api_key={new.api_key}\nwebhook_secret={new.webhook_secret}")
        print("# shown once: give both to the intake system; only a hash of the key is kept", flush=True)
        return EXIT_OK
    finally:
        storage.close()


def staff_command(args: argparse.Namespace, config: Config) -> int:
    import getpass
    import os

    from storage.repository import review

    if args.action == "unlock":  # a supervisor lifts the lock that failed sign-ins put on an account
        storage = open_storage(config)
        try:
            done = review.set_locked(storage.db, args.username, False, "digitize staff unlock")
        finally:
            storage.close()
        print(f"{args.username}: {'unlocked' if done else 'no locked account of that name'}")
        return EXIT_OK if done else EXIT_USAGE
    password = os.environ.get("SOHOA_STAFF_PASSWORD") or getpass.getpass(f"password for {args.username}: ")
    storage = open_storage(config)
    try:
        review.add_staff(storage.db, args.username, password, args.role, args.full_name)
    finally:
        storage.close()
    print(f"{args.username}: {args.role} added; sign in at /login of `digitize serve`")
    return EXIT_OK
