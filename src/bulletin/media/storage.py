"""Where uploaded files live. Callers use the `Storage` protocol only, so another backend
(an S3-compatible bucket, say) can be added in `storage_for` without touching them.

The local backend keeps files under `<data_dir>/media/uploads`; the app serves them at
`/media/uploads/<name>` in development, and in production nginx or a CDN can serve that
folder directly (with `Cache-Control: public, max-age=31536000, immutable`: names never
change content).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from bulletin.domain.blocks import UPLOAD_PREFIX as URL_PREFIX
from bulletin.settings import Settings

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def valid_name(name: str) -> bool:
    return bool(NAME.match(name)) and ".." not in name


@dataclass(frozen=True, slots=True)
class StoredFile:
    name: str
    size: int
    modified: datetime


class Storage(Protocol):
    async def save(self, name: str, data: bytes) -> None: ...
    def url(self, name: str) -> str: ...
    async def delete(self, name: str) -> None: ...
    async def listing(self) -> list[StoredFile]: ...


class LocalStorage:
    """Files in one folder, each written atomically (a temporary file, then a rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, name: str) -> Path:
        if not valid_name(name):
            raise ValueError(f"not a storable name: {name!r}")
        return self.root / name

    def _save(self, name: str, data: bytes) -> None:
        target = self.path(name)
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    async def save(self, name: str, data: bytes) -> None:
        await asyncio.to_thread(self._save, name, data)

    def url(self, name: str) -> str:
        self.path(name)
        return URL_PREFIX + name

    async def delete(self, name: str) -> None:
        await asyncio.to_thread(self.path(name).unlink, missing_ok=True)

    def _listing(self) -> list[StoredFile]:
        if not self.root.is_dir():
            return []
        found = []
        for entry in os.scandir(self.root):
            if entry.is_file() and valid_name(entry.name) and not entry.name.startswith("."):
                info = entry.stat()
                found.append(StoredFile(entry.name, info.st_size,
                                        datetime.fromtimestamp(info.st_mtime, UTC)))
        return found

    async def listing(self) -> list[StoredFile]:
        """Every stored file (not the temporary ones of writes under way)."""
        return await asyncio.to_thread(self._listing)


def storage_for(settings: Settings) -> LocalStorage:
    """The storage backend this site uses (the local folder, for now)."""
    return LocalStorage(settings.data_dir / "media" / "uploads")


async def save_all(storage: Storage, files: dict[str, bytes]) -> None:
    """Store every file or none: on any failure, what was written is removed."""
    written: list[str] = []
    try:
        for name, data in files.items():
            written.append(name)
            await storage.save(name, data)
    except BaseException:
        for name in written:
            with contextlib.suppress(Exception):
                await storage.delete(name)
        raise
