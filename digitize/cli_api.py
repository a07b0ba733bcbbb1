"""`digitize serve` (the intake API) and `digitize keys` (intake systems' API keys)."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from pathlib import Path

from digitize.cli import EXIT_OK, EXIT_USAGE
from digitize.config import Config
from storage.repository import intake
from workers.jobs import open_storage


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = sub.add_parser("serve", help="run the intake HTTP API (FastAPI; OpenAPI at /openapi.json)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--config", type=Path)
    keys = sub.add_parser("keys", help="API keys of intake systems: add, list, revoke")
    keys.add_argument("action", choices=("add", "list", "revoke"))
    keys.add_argument("name", nargs="?", help="intake system name (add), or name/key prefix (revoke)")
    keys.add_argument(
        "--scopes", default="submit,read", help=f"comma-separated, from {','.join(intake.SCOPES)}"
    )
    keys.add_argument(
        "--rate", type=int, help="requests per minute for this key (default api.rate_per_minute)"
    )
    keys.add_argument("--config", type=Path)
    staff = sub.add_parser(
        "staff", help="review-station accounts: add (password from SOHOA_STAFF_PASSWORD or a prompt)"
    )
    staff.add_argument("action", choices=("add",))
    staff.add_argument("username")
    staff.add_argument("--role", choices=("reviewer", "supervisor"), default="reviewer")
    staff.add_argument("--full-name", default="")
    staff.add_argument("--config", type=Path)


def _serve(args: argparse.Namespace, config: Config) -> int:
    import uvicorn

    from workers.api import create_app, serving

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    for noisy in ("fontTools", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    with serving(config) as context:
        uvicorn.run(
            create_app(context), host=args.host, port=args.port, access_log=False, log_level="warning"
        )
    return EXIT_OK


def _keys(args: argparse.Namespace, config: Config) -> int:
    storage = open_storage(config)
    try:
        if args.action == "list":
            for c in intake.list_clients(storage.repository):
                state = "revoked" if c.revoked else "active"
                print(
                    f"{c.name}\t{c.key_prefix}\t{','.join(c.scopes)}\t{c.rate_per_minute or '-'}/min\t{state}"
                )
            return EXIT_OK
        if not args.name:
            print("digitize keys: name the intake system", flush=True)
            return EXIT_USAGE
        if args.action == "revoke":
            done = intake.revoke_client(storage.repository, args.name)
            print(f"{args.name}: {'revoked' if done else 'no active key with that name or prefix'}")
            return EXIT_OK if done else EXIT_USAGE
        scopes = tuple(s.strip() for s in args.scopes.split(",") if s.strip())
        new = intake.create_client(storage.repository, args.name, scopes, args.rate)
        print(f"api_key={new.api_key}\nwebhook_secret={new.webhook_secret}")
        print("# shown once: give both to the intake system; only a hash of the key is kept", flush=True)
        return EXIT_OK
    finally:
        storage.close()


def _staff(args: argparse.Namespace, config: Config) -> int:
    import getpass
    import os

    from storage.repository import review

    password = os.environ.get("SOHOA_STAFF_PASSWORD") or getpass.getpass(f"password for {args.username}: ")
    storage = open_storage(config)
    try:
        review.add_staff(storage.repository, args.username, password, args.role, args.full_name)
    finally:
        storage.close()
    print(f"{args.username}: {args.role} added; sign in at /login of `digitize serve`")
    return EXIT_OK


API_HANDLERS: dict[str, Callable[[argparse.Namespace, Config], int]] = {
    "serve": _serve,
    "keys": _keys,
    "staff": _staff,
}
