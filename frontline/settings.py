"""Settings read from the environment (FRONTLINE_*)."""

import os
import secrets
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from frontline.proxies import Network, parse_networks

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FRONTLINE_")

    database_url: str = "sqlite:///frontline.db"
    secret_key: str = ""
    # Tablets are shared at the counter, so an idle session ends quickly.
    session_idle_minutes: int = 30
    session_max_hours: int = 8
    # Largest accepted roster CSV upload.
    max_upload_bytes: int = 5 * 1024 * 1024
    # Reverse proxies (addresses or CIDRs, comma-separated) whose X-Forwarded-For we believe.
    trusted_proxies: str = ""
    # The bank's time zone, for times shown to people; stored and machine-readable times are UTC.
    time_zone: str = "Asia/Shanghai"

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_parse(cls, value: str) -> str:
        try:
            parse_networks(value)
        except ValueError as exc:
            raise ValueError(f"not a list of addresses or CIDRs: {exc}") from exc
        return value

    @field_validator("time_zone")
    @classmethod
    def _time_zone_exists(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r} (use a name like Asia/Shanghai)"
            ) from exc
        return value

    def trusted_proxy_networks(self) -> tuple[Network, ...]:
        return parse_networks(self.trusted_proxies)

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def today(self, now: datetime | None = None) -> date:
        """The bank's date (now, or at `now`): its days end at midnight in its time zone, so
        from 16:00 UTC Shanghai is a day ahead of the server."""
        return (now or datetime.now(UTC)).astimezone(self.zone()).date()

    # A whole standards library is far smaller; YAML costs more to parse than CSV.
    max_library_bytes: int = 1024 * 1024
    # Days after an audit is submitted during which the employee audited may dispute it.
    audit_dispute_days: int = 7
    # Developers: re-read templates that changed on disk (costs a stat() per template per page).
    reload_templates: bool = False
    # Page reads a worker works on at once, the rest queued (frontline/admission.py); 0: all.
    reads_at_once: int = Field(default=4, ge=0)

    def resolved_secret_key(self) -> str:
        """The configured key, else one generated once and kept beside a SQLite database."""
        if self.secret_key:
            return self.secret_key
        path = Path(".frontline-secret")
        if path.exists():
            return path.read_text().strip()
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
        return key


@lru_cache
def get_settings() -> Settings:
    return Settings()
