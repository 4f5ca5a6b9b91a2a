"""The back office's keys and browser protections: the session key and the security headers."""
import os
import secrets
from pathlib import Path

from flask import Response, request

# No inline script or style anywhere in the back office: the stylesheet is a static file.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' https: data:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
HSTS = "max-age=31536000; includeSubDomains"


def local_secret_key(instance_path: str) -> str:
    """A random key kept in the instance folder, so local sessions survive a restart.

    Only for local use: production refuses to start without SECRET_KEY (config.py). The key is
    written to a private file and linked into place, so processes starting together all end up
    with the first one's complete key.
    """
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "secret_key"
    if not path.exists():
        draft = folder / f"secret_key.{secrets.token_hex(4)}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process was first: use its key
        finally:
            draft.unlink()
    return path.read_text(encoding="ascii").strip()


def add_security_headers(response: Response) -> Response:
    """Every back-office answer (login page and errors included) carries the headers."""
    if request.path == "/admin" or request.path.startswith("/admin/"):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
