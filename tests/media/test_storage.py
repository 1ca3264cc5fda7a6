"""Local media storage: atomic writes, safe names, all-or-nothing saves."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin.media.storage import LocalStorage, save_all


class FailingOnThird(LocalStorage):
    """Real local storage whose disk 'fills up' on the third file."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.saves = 0

    def _save(self, name: str, data: bytes) -> None:
        self.saves += 1
        if self.saves == 3:
            raise OSError("No space left on device")
        super()._save(name, data)


async def test_files_are_saved_and_addressed_under_media_uploads(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "uploads")
    await storage.save("abc-320w.jpg", b"jpeg bytes")
    assert (tmp_path / "uploads" / "abc-320w.jpg").read_bytes() == b"jpeg bytes"
    assert storage.url("abc-320w.jpg") == "/media/uploads/abc-320w.jpg"
    assert [p.name for p in (tmp_path / "uploads").iterdir()] == ["abc-320w.jpg"]
    await storage.delete("abc-320w.jpg")
    assert list((tmp_path / "uploads").iterdir()) == []


async def test_a_failed_save_leaves_nothing_behind(tmp_path: Path) -> None:
    storage = FailingOnThird(tmp_path / "uploads")
    files = {f"id-{w}w.jpg": b"x" * w for w in (320, 640, 1280, 2048)}
    with pytest.raises(OSError):
        await save_all(storage, files)
    assert list((tmp_path / "uploads").iterdir()) == []


@pytest.mark.parametrize("name", ["../escape.jpg", ".hidden", "a/b.jpg", "", "x" * 200])
async def test_names_that_could_leave_the_folder_are_refused(tmp_path: Path,
                                                             name: str) -> None:
    storage = LocalStorage(tmp_path / "uploads")
    with pytest.raises(ValueError):
        await storage.save(name, b"data")
    assert not (tmp_path / "escape.jpg").exists()
