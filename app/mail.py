"""Sending mail: invitations and password links, when `MOGNAD_SMTP_URL` is set.

    MOGNAD_SMTP_URL   smtp://[user:password@]host[:port]        plain SMTP (port 25), STARTTLS when the server offers it
                      smtp+starttls://[user:password@]host[:port]  STARTTLS required (port 587)
                      smtps://[user:password@]host[:port]       TLS from the start (port 465)
    MOGNAD_MAIL_FROM  the sender (default mognad@<the host of MOGNAD_PUBLIC_URL, or localhost>)
    MOGNAD_PUBLIC_URL the address people open, e.g. https://mognad.region.se (links in mails); when unset, the
                      address the browser used

Without `MOGNAD_SMTP_URL` nothing is sent: the lead copies the link, and the page says so. No mock: the tests run
a real SMTP server (aiosmtpd) on loopback.
"""

from __future__ import annotations

import contextlib
import os
import smtplib
import ssl
import threading
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import unquote, urlsplit

TIMEOUT = 15


def configured() -> bool:
    return bool(os.environ.get("MOGNAD_SMTP_URL", "").strip())


def public_url(seen: str | None = None) -> str:
    """The app's own address without a trailing slash: MOGNAD_PUBLIC_URL, else the one a browser used (`seen`)."""
    base = os.environ.get("MOGNAD_PUBLIC_URL", "").strip() or seen or "http://localhost:8501"
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}"


def sender() -> str:
    chosen = os.environ.get("MOGNAD_MAIL_FROM", "").strip()
    if chosen:
        return chosen
    host = urlsplit(public_url()).hostname or "localhost"
    return formataddr(("mognad", f"mognad@{host}"))


def send(to: str, subject: str, body: str) -> None:
    """Send one plain-text mail now; raises OSError/smtplib.SMTPException when the server refuses or is away."""
    url = urlsplit(os.environ["MOGNAD_SMTP_URL"].strip())
    message = EmailMessage()
    message["From"] = sender()
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="mognad")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    scheme = url.scheme.lower()
    if scheme == "smtps":
        client = smtplib.SMTP_SSL(url.hostname, url.port or 465, timeout=TIMEOUT, context=ssl.create_default_context())
    elif scheme in ("smtp", "smtp+starttls"):
        client = smtplib.SMTP(url.hostname, url.port or (587 if scheme == "smtp+starttls" else 25), timeout=TIMEOUT)
    else:
        raise OSError(f"MOGNAD_SMTP_URL: unknown scheme {url.scheme!r} (smtp, smtp+starttls or smtps)")
    with client:
        client.ehlo()
        if scheme == "smtp+starttls" or (scheme == "smtp" and client.has_extn("starttls")):
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
        if url.username:
            client.login(unquote(url.username), unquote(url.password or ""))
        client.send_message(message)


def send_later(to: str, subject: str, body: str) -> threading.Thread:
    """Send in the background, so that answering takes as long whether a mail goes out or not ('Glömt lösenord')."""
    def run() -> None:
        with contextlib.suppress(OSError, smtplib.SMTPException):  # nobody to tell: the page has answered already
            send(to, subject, body)

    thread = threading.Thread(target=run, name="mognad-mail", daemon=True)
    thread.start()
    return thread
