"""Secrets never leave the process: one `Redactor` per set of secrets, applied to every text built from an upstream
answer, an argument echo or a log record.

Secrets are fed in three places, each once: the server's own (`Backends`, from the settings), a client's
credentials (`BackendClient.__init__`, so the Basic header's encoding is covered too), and credential header values
a caller sent (`ProjectOpsServer`, for texts that echo arguments before any client exists).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable


class Redactor:
    """Replaces every known secret (and its Basic-auth encodings) with '***'."""

    def __init__(self, secrets: Iterable[str | None] = ()):
        self._needles: list[str] = []
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if not secret or len(secret) < 4:
            return
        for needle in (secret, base64.b64encode(secret.encode()).decode().rstrip("=")):
            if needle not in self._needles:
                self._needles.append(needle)
        self._needles.sort(key=len, reverse=True)

    @property
    def needles(self) -> tuple[str, ...]:
        return tuple(self._needles)

    def copy(self) -> Redactor:
        clone = Redactor()
        clone._needles = list(self._needles)
        return clone

    def with_secrets(self, secrets: Iterable[str | None]) -> Redactor:
        """A redactor for these secrets as well; this one itself when none of them is new (no copy per call)."""
        fresh = [s for s in secrets if s and len(s) >= 4 and s not in self._needles]
        if not fresh:
            return self
        clone = self.copy()
        for secret in fresh:
            clone.add(secret)
        return clone

    def __call__(self, text: str) -> str:
        for needle in self._needles:
            if needle in text:
                text = text.replace(needle, "***")
        return text


def basic_auth(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
