"""Secrets that open doors, and the counters that slow down anyone trying them.

Every secret mognad hands out — a session cookie, the one-time handoff a browser tab trades for that cookie, an
invitation link, a password-reset link — is `new_secret()`: 256 random bits from the operating system
(`secrets.token_urlsafe(32)`, 43 URL-safe characters). The store keeps only `digest(secret)` (SHA-256, hex),
looks a secret up by its digest and compares the digest it found with `matches` (`hmac.compare_digest`, constant
time). A copy of the database, a backup or a log line therefore holds nothing that can be replayed.

Rate limits (`over_limit`) count events per bucket and key in `rate_events`, keyed by the SHA-256 of the address
or client, never the address itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from sqlalchemy import Connection, delete, func, select

from store.schema import rate_events

SECRET_BYTES = 32  # 256 bits
_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")  # what token_urlsafe(32) makes; anything else is refused unread


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def well_formed(secret: object) -> bool:
    """True for something that could be one of our secrets (so a forged value costs no database query)."""
    return isinstance(secret, str) and _SHAPE.fullmatch(secret) is not None


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def matches(stored_digest: str | None, secret: str) -> bool:
    """Does `secret` hash to `stored_digest`? In constant time (the lookup by digest found the row; this says so)."""
    if stored_digest is None:
        return False
    return hmac.compare_digest(stored_digest.encode("ascii"), digest(secret).encode("ascii"))


def key_of(value: str) -> str:
    """The digest a rate limit counts under (an address in lower case, a client address)."""
    return hashlib.sha256(value.strip().lower().encode("utf-8")).hexdigest()


def over_limit(conn: Connection, bucket: str, key: str, limit: int, window: dt.timedelta, now: dt.datetime) -> bool:
    """Count one more event for (bucket, key); True when that makes more than `limit` in `window`.

    Events older than the window are removed as we go, so the table stays small.
    """
    hashed = key_of(key)
    since = now - window
    conn.execute(delete(rate_events).where(rate_events.c.bucket == bucket, rate_events.c.at < since))
    count = conn.execute(select(func.count()).select_from(rate_events).where(
        rate_events.c.bucket == bucket, rate_events.c.key_hash == hashed, rate_events.c.at >= since)).scalar_one()
    if count >= limit:
        return True
    conn.execute(rate_events.insert().values(bucket=bucket, key_hash=hashed, at=now))
    return False
