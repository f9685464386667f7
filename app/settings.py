"""Service settings, read from ``TEJIDO_*`` environment variables (or given in code).

``TEJIDO_STORE`` names the store, ``TEJIDO_LANGUAGE`` (``es`` or ``en``) the language of
the pages and the command line, ``TEJIDO_PUBLIC_URL`` the base URL of embed snippets,
``TEJIDO_API_TOKEN`` enables the write endpoints (no
token: the API is read-only), ``TEJIDO_CORS_ORIGINS`` lists the origins allowed to call the
API from a browser (comma-separated; empty: CORS off), ``TEJIDO_GAZETTEER`` (or
``TEJIDO_GAZETTEER_PATHS``) lists extra gazetteer YAML files separated by the OS path
separator, as the command line reads them. ``TEJIDO_WARM_INDEXES=0`` stops the server from
building the saved duplication index in the background (:mod:`app.services.index_warmup`).
"""

from __future__ import annotations

import os
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from graph.stores.factory import DEFAULT_STORE_URL

DEFAULT_MAX_UPLOAD_BYTES = 50_000_000
DEFAULT_MAX_VIEW_NODES = 2000


def _split(value: Any, separators: tuple[str, ...]) -> Any:
    """Split a string on any of ``separators`` into trimmed, non-empty items."""
    if not isinstance(value, str):
        return value
    items = [value]
    for separator in separators:
        items = [part for item in items for part in item.split(separator)]
    return [item.strip() for item in items if item.strip()]


class Settings(BaseSettings):
    """Configuration of the API and the views."""

    model_config = SettingsConfigDict(
        env_prefix="TEJIDO_", extra="ignore", populate_by_name=True, frozen=True
    )

    store: str = Field(
        default=DEFAULT_STORE_URL,
        description="sqlite:///path.db (embedded) or neo4j://host:7687",
    )
    api_token: SecretStr | None = Field(
        default=None, description="bearer token of the write endpoints; None: read-only API"
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="origins allowed by CORS; empty: CORS off"
    )
    language: Literal["es", "en"] = Field(
        default="es", description="language of the pages and the command line: es or en"
    )
    public_url: str | None = Field(
        default=None, max_length=300,
        description="base URL of the iframe snippets (https://host/tejido); none: relative",
    )
    answer_cache: str | None = Field(
        default=None, max_length=1000,
        description="SQLite file where the processes of one server share their answers "
        "(set by tejido serve)",
    )
    warm_indexes: bool = Field(
        default=True,
        description="build the duplication index saved beside a SQLite store in the "
        "background when the server starts and after it records verdicts (0: off)",
    )
    max_upload_bytes: int = Field(default=DEFAULT_MAX_UPLOAD_BYTES, gt=0)
    max_view_nodes: int = Field(default=DEFAULT_MAX_VIEW_NODES, ge=1, le=100_000)
    gazetteer_paths: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        validation_alias=AliasChoices(
            "gazetteer_paths", "TEJIDO_GAZETTEER_PATHS", "TEJIDO_GAZETTEER"
        ),
        description="extra gazetteer YAML files",
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        return _split(value, (",", " "))

    @field_validator("gazetteer_paths", mode="before")
    @classmethod
    def _split_paths(cls, value: Any) -> Any:
        return _split(value, (os.pathsep,))

    @field_validator("api_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def read_only(self) -> bool:
        """Whether the write endpoints are disabled (no token configured)."""
        return self.api_token is None
