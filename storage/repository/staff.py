"""Review-station accounts and sessions: staff (reviewer or supervisor) with scrypt-hashed passwords, and
signed-in browsers whose cookie token is kept only as a hash, expiring when idle or old."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from digitize.errors import ConflictError, RequestError
from storage.repository.intake import secret_hash
from storage.repository.models import AuditEntry, StaffSession, StaffUser
from storage.repository.work import as_utc, now

ROLES = ("reviewer", "supervisor")
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


@lru_cache(maxsize=1)
def _stand_in_hash() -> str:
    """A hash to check passwords of unknown names against: made once, so refusing an unknown name costs
    one scrypt like refusing a known one (the time of the answer tells nothing about which names exist)."""
    return hash_password(secrets.token_urlsafe(16))


def password_matches(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        again = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except ValueError:
        return False
    return hmac.compare_digest(again.hex(), digest)


def add_staff(engine: Engine, username: str, password: str, role: str, full_name: str = "") -> int:
    if role not in ROLES:
        raise RequestError(f"unknown role {role!r}", fix=f"use one of {', '.join(ROLES)}")
    if len(password) < 10:
        raise RequestError("the password is shorter than 10 characters", fix="choose a longer password")
    with Session(engine) as session:
        user = StaffUser(
            username=username, full_name=full_name, role=role, password_hash=hash_password(password)
        )
        session.add(user)
        try:
            session.commit()
        except IntegrityError:
            raise ConflictError(f"user {username!r} exists", fix="pick another name") from None
        return user.id


def set_locked(engine: Engine, username: str, locked: bool, actor: str) -> bool:
    """Lock an account (too many failed sign-ins) or lift the lock (a supervisor); audited. False when no
    such account exists (or nothing changed)."""
    with Session(engine) as session, session.begin():
        user = session.scalar(select(StaffUser).where(StaffUser.username == username))
        if user is None or (user.disabled_at is not None) == locked:
            return False
        user.disabled_at = now() if locked else None
        session.add(
            AuditEntry(
                actor=actor,
                action=f"review.account_{'locked' if locked else 'unlocked'}",
                entity="staff",
                entity_id=username,
                detail={},
            )
        )
        return True


@dataclass(frozen=True)
class Staff:
    id: int
    username: str
    full_name: str
    role: str


def sign_in(engine: Engine, username: str, password: str, max_hours: int) -> tuple[str, Staff] | None:
    """(cookie token, who) for the right password of an active account; None otherwise."""
    with Session(engine) as session, session.begin():
        user = session.scalar(select(StaffUser).where(StaffUser.username == username))
        # A password is checked for unknown names too, at the same cost: timing tells no names.
        stored = user.password_hash if user else _stand_in_hash()
        if not password_matches(password, stored) or user is None or user.disabled_at is not None:
            return None
        token = secrets.token_urlsafe(32)
        moment = now()
        session.add(
            StaffSession(
                token_hash=secret_hash(token),
                user_id=user.id,
                created_at=moment,
                last_seen_at=moment,
                expires_at=moment + timedelta(hours=max_hours),
            )
        )
        return token, Staff(user.id, user.username, user.full_name, user.role)


#: How stale a session's last-seen time may get before a request writes it again (well under the idle limit).
TOUCH_EVERY = timedelta(seconds=30)


def session_staff(engine: Engine, token: str, idle_minutes: int) -> Staff | None:
    """Who holds this cookie, if the session is neither expired nor idle too long (touches it)."""
    moment = now()
    with Session(engine) as session, session.begin():
        row = session.scalar(select(StaffSession).where(StaffSession.token_hash == secret_hash(token)))
        if row is None:
            return None
        idle = moment - as_utc(row.last_seen_at) > timedelta(minutes=idle_minutes)
        user = session.get(StaffUser, row.user_id)
        if idle or as_utc(row.expires_at) <= moment or user is None or user.disabled_at is not None:
            session.delete(row)
            return None
        if moment - as_utc(row.last_seen_at) > TOUCH_EVERY:  # not a write on every crop and keystroke
            row.last_seen_at = moment
        return Staff(user.id, user.username, user.full_name, user.role)


def sign_out(engine: Engine, token: str) -> None:
    with Session(engine) as session, session.begin():
        row = session.scalar(select(StaffSession).where(StaffSession.token_hash == secret_hash(token)))
        if row is not None:
            session.delete(row)
