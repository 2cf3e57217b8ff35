"""Settings: environment variables (and `.env`), overridden by CLI flags.

Every secret is a `SecretStr` so that printing a Settings object never shows it.
"""

from __future__ import annotations

import resource
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECTWORKS_DEFAULT_BASE_URL = "https://api.projectworksapp.com/api/v1"


def file_descriptor_share() -> int:
    """Half the process's file descriptors, at most 1000: what the edge may hold in client connections, and what
    the upstream pools may hold together (the rest: logs, the journal, Redis)."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return max(16, min(1000, soft // 2)) if soft > 0 else 1000


# Which settings make a backend's tools appear, for the reason given when they do not (server, unified tools).
BACKEND_SETTINGS = {
    "teamwork": "TEAMWORK_SITE_URL plus TEAMWORK_API_KEY (or TEAMWORK_BEARER_TOKEN)",
    "projectworks": "PROJECTWORKS_CONSUMER_KEY and PROJECTWORKS_CONSUMER_SECRET",
}

CommaList = Annotated[list[str], NoDecode]


class Settings(BaseSettings):
    """All configuration, named exactly as the environment variables (case-insensitive)."""

    # hide_input_in_errors: a mistyped value may hold a secret (a Redis URL with its password)
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", hide_input_in_errors=True
    )

    # Teamwork.com
    teamwork_site_url: str | None = None
    teamwork_api_key: SecretStr | None = None
    teamwork_bearer_token: SecretStr | None = None

    # Projectworks
    projectworks_base_url: str = PROJECTWORKS_DEFAULT_BASE_URL
    projectworks_consumer_key: SecretStr | None = None
    projectworks_consumer_secret: SecretStr | None = None

    # Which tools are served
    projectops_read_only: bool = False
    projectops_toolsets: CommaList = Field(default_factory=list)
    projectops_tools: CommaList = Field(default_factory=list)
    projectops_exclude_tools: CommaList = Field(default_factory=list)
    projectops_profile: str | None = None  # a named union of toolsets/tools (profiles.py)
    projectops_discovery: bool = False  # tools/list shows find_tools, call_tool, enable_tools only
    projectops_result_token_budget: int = Field(8000, ge=0)  # a list page's JSON is cut to about this (0: no cap)

    # Serving
    projectops_sandbox: bool = False
    # The sandbox's bigger agency (sandbox/agency.py): N >= 1 adds ~15N people, 8N projects, 3,000N time records
    projectops_sandbox_scale: int = Field(0, ge=0, le=100)
    projectops_http_token: SecretStr | None = None
    projectops_allow_unauthenticated: bool = False
    projectops_allowed_hosts: CommaList = Field(default_factory=list)
    # The network edge (see edge.py): sessions, connections, slow or oversized requests
    projectops_session_idle_timeout: float = Field(900.0, gt=0)
    projectops_max_sessions: int = Field(1000, ge=1)
    projectops_max_sessions_per_caller: int = Field(50, ge=1)
    projectops_max_connections: int | None = Field(None, ge=1)  # default: half the file descriptors, <= 1000
    projectops_header_timeout: float = Field(10.0, gt=0)
    projectops_body_timeout: float = Field(60.0, gt=0)
    projectops_max_request_bytes: int | None = Field(None, gt=0)  # default: what the largest receipt needs
    projectops_log_level: Literal["debug", "info", "warning", "error"] = "info"
    projectops_log_format: Literal["text", "json"] = "text"

    # Upstream HTTP behaviour
    projectops_http_timeout: float = Field(30.0, gt=0)
    # The largest upstream answer read (bodies are streamed; beyond it the call fails cleanly)
    projectops_max_response_bytes: int = Field(16 * 1024 * 1024, ge=1024)
    projectops_max_retries: int = Field(3, ge=0, le=10)
    projectops_retry_max_wait: float = Field(30.0, ge=0)
    projectops_retry_base_delay: float = Field(0.25, ge=0)
    projectops_teamwork_rps: float = Field(2.5, gt=0)
    projectops_projectworks_rps: float = Field(5.0, gt=0)
    projectops_max_concurrency: int = Field(8, ge=1)
    # Upstream requests one cross-system answer (unified_get_capacity, ...) may send; past it the answer is partial
    projectops_unified_request_budget: int = Field(400, ge=1)
    # Requests a backend account may send at once before the per-second rate applies (default: 2 s worth, 1..10).
    projectops_rate_burst: int | None = Field(None, ge=1)

    # Shutdown: how long SIGTERM/SIGINT waits for in-flight tool calls before cancelling them
    projectops_shutdown_timeout: float = Field(10.0, ge=0)

    # Multi-tenant credentials in request headers (HTTP transports only)
    projectops_header_credentials: bool = False
    # ... and refuse a call without them instead of falling back to the server's own accounts
    projectops_header_credentials_required: bool = False
    projectops_teamwork_allowed_hosts: CommaList = Field(default_factory=list)  # beyond *.teamwork.com/.eu
    projectops_projectworks_allowed_hosts: CommaList = Field(default_factory=list)  # beyond api.projectworksapp.com

    # Expense claim receipts
    projectops_receipts_dir: Path | None = None
    projectops_max_receipt_bytes: int = Field(10 * 1024 * 1024, gt=0)

    # Reference data cache (roles, leave types, ...)
    projectops_reference_ttl: float = Field(300.0, ge=0)

    # Trusted writes (projectops_mcp.writes): the write journal ("" = the user's state dir, "off" = none), the
    # duplicate guard's window in seconds (0 = off), and asking the person before deletes and full replacements
    projectops_journal: str = ""
    projectops_duplicate_window: float = Field(600.0, ge=0)
    projectops_confirm_destructive: bool = False

    # Several replicas: rate limits and reference cache shared through Redis (`shared_state.py`); unset = per process
    projectops_redis_url: SecretStr | None = None
    # ... and the duplicate guard's claims there: Redis down = creates go out unguarded (warned), or refused if True
    projectops_guard_fail_closed: bool = False

    @field_validator(
        "projectops_toolsets",
        "projectops_tools",
        "projectops_exclude_tools",
        "projectops_allowed_hosts",
        "projectops_teamwork_allowed_hosts",
        "projectops_projectworks_allowed_hosts",
        mode="before",
    )
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("projectops_redis_url", mode="after")
    @classmethod
    def _check_redis_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        if urlsplit(value.get_secret_value().strip()).scheme not in ("redis", "rediss"):
            raise ValueError("PROJECTOPS_REDIS_URL must start with redis:// or rediss:// (TLS)")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("teamwork_site_url", "projectworks_base_url", mode="after")
    @classmethod
    def _normalise_url(cls, value: str | None, info: ValidationInfo) -> str | None:
        """'yourco.teamwork.com/' -> 'https://yourco.teamwork.com': paths are appended to it verbatim."""
        if not value or not value.strip():
            return PROJECTWORKS_DEFAULT_BASE_URL if info.field_name == "projectworks_base_url" else None
        value = value.strip().rstrip("/")
        return value if "://" in value else "https://" + value

    @property
    def teamwork_configured(self) -> bool:
        return bool(self.teamwork_site_url and (self.teamwork_api_key or self.teamwork_bearer_token))

    @property
    def projectworks_configured(self) -> bool:
        return bool(self.projectworks_consumer_key and self.projectworks_consumer_secret)

    def secret_values(self) -> list[str]:
        """Every configured secret, for redaction."""
        secrets = [
            self.teamwork_api_key,
            self.teamwork_bearer_token,
            self.projectworks_consumer_key,
            self.projectworks_consumer_secret,
            self.projectops_http_token,
        ]
        values = [s.get_secret_value() for s in secrets if s is not None and s.get_secret_value()]
        if self.projectops_redis_url is not None:
            values.append(urlsplit(self.projectops_redis_url.get_secret_value()).password or "")
        return [v for v in values if v]
