"""Secrets never leave the process: one `Redactor` per set of secrets, applied to every text built from an upstream
answer, an argument echo or a log record.

Secrets are fed in three places, each once: the server's own (`Backends`, from the settings), a client's
credentials (`BackendClient.__init__`, so the Basic header's encoding is covered too), and credential header values
a caller sent (`ProjectOpsServer`, for texts that echo arguments before any client exists).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable

# Authorization-like values of any token, known or not: a header echo up to the line's end or a quote, and a
# Basic/Bearer scheme followed by something token-shaped (12+ characters with a digit, so prose like "basic setup"
# in a write preview survives).
_AUTH_HEADER = re.compile(r"(?i)(\bauthorization[\"']?\s*[:=]\s*[\"']?)[^\r\n\"'<>]+")
_AUTH_SCHEME = re.compile(r"(?i)\b(basic|bearer)(\s+)(?=[^\s\"'<>]*\d)[A-Za-z0-9._~+/-]{12,}=*")
# A run of base64 characters: truncated encodings (pydantic's `input_value` shortens long strings) are found by
# their 12-character windows.
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{12,}={0,2}")
_WINDOW = 12


class Redactor:
    """Replaces every known secret (and its Basic-auth encodings) with '***'."""

    def __init__(self, secrets: Iterable[str | None] = ()):
        self._needles: list[str] = []
        self._secrets: list[str] = []
        self._windows: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if not secret or len(secret) < 4 or secret in self._secrets:
            return
        for needle in (secret, base64.b64encode(secret.encode()).decode().rstrip("=")):
            if needle not in self._needles:
                self._needles.append(needle)
        self._needles.sort(key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, self._needles)), re.IGNORECASE)
        # Its encodings alone and joined to every other secret (`key:secret` Basic pairs span the colon).
        for text in (
            secret,
            *(f"{other}:{secret}" for other in self._secrets),
            *(f"{secret}:{o}" for o in self._secrets),
        ):
            self._windows |= _base64_windows(text)
        if _BASE64_RUN.fullmatch(secret):  # an encoded token itself (the Authorization header's), truncated
            self._windows.update(secret[i : i + _WINDOW] for i in range(len(secret) - _WINDOW + 1))
        self._secrets.append(secret)

    @property
    def needles(self) -> tuple[str, ...]:
        return tuple(self._needles)

    @property
    def secrets(self) -> tuple[str, ...]:
        """The secrets themselves (to merge two redactors)."""
        return tuple(self._secrets)

    def copy(self) -> Redactor:
        clone = Redactor()
        clone._needles = list(self._needles)
        clone._secrets = list(self._secrets)
        clone._windows = set(self._windows)
        clone._pattern = self._pattern
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
        """Known secrets in any letter case, base64 runs sharing a 12-character window with a secret's encoding
        (at any of the three byte alignments), and any Authorization-like value."""
        if self._windows:  # whole runs first, so a known encoding's prefix leaves no tail behind
            text = _BASE64_RUN.sub(self._scrub_run, text)
        if self._pattern is not None:
            text = self._pattern.sub("***", text)
        text = _AUTH_HEADER.sub(r"\1***", text)
        return _AUTH_SCHEME.sub(r"\1\2***", text)

    def _scrub_run(self, match: re.Match[str]) -> str:
        run = match.group()
        hit = any(run[i : i + _WINDOW] in self._windows for i in range(len(run) - _WINDOW + 1))
        return "***" if hit else run


def _base64_windows(secret: str) -> set[str]:
    """Every 12-character window of the secret's base64 encoding, whatever bytes precede it (a secret inside
    `key:secret` starts at any of three alignments); the last group, which depends on what follows, is left out."""
    raw = secret.encode()
    windows: set[str] = set()
    for pad in range(3):
        encoded = base64.b64encode(b"\0" * pad + raw).decode()
        stable = encoded[4 if pad else 0 : len(encoded) - 4]  # the first group mixes in the padding bytes
        windows.update(stable[i : i + _WINDOW] for i in range(len(stable) - _WINDOW + 1))
    return windows


def basic_auth(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
