"""Content digests and a content-addressed file store.

Digests of bytes, JSON values, files and folders, of the ``lnutils`` source and of the
installed versions that shape outputs; :class:`Cache`, a store of bytes, JSON and
folders keyed by digests under one folder. The runner keeps executed chapters, facts and
renders here and may pass a store to :class:`lnutils.inputs.dataset.Dataset` for parsed
inputs; nothing writes to disk unless a store is passed in.

Every write goes to a temporary file first and is moved into place with ``os.replace``,
so that concurrent builds sharing a store see either nothing or a complete entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from lnutils import paths

# Packages whose version changes what an executed notebook contains.
KEY_PACKAGES = ("pandas", "pyarrow", "numpy", "matplotlib", "seaborn", "pydantic", "papermill",
                "nbclient", "ipykernel")

# Files of the package that shape outputs: code, Lua filters, templates, styles.
SOURCE_SUFFIXES = {".py", ".lua", ".css", ".html", ".yml", ".yaml", ".json", ".docx", ".tex",
                   ".typ", ".typst"}

_CHUNK = 1 << 20

# Set by the runner for its workers and kernels: the folder of the store in which
# chapters keep parsed inputs (see lnutils.chapters.context.data_store).
DATA_CACHE_ENV = "LNREPORT_DATA_CACHE"


def digest_bytes(data: bytes) -> str:
    """SHA-256 hex digest of bytes."""
    return hashlib.sha256(data).hexdigest()


def digest_json(value: Any) -> str:
    """Digest of a JSON-able value, independent of dict order."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return digest_bytes(text.encode("utf-8"))


def digest_path(path: Path) -> str:
    """SHA-256 digest of a file's bytes, or of a folder's files and their relative names.

    Raises
    ------
    FileNotFoundError
        When the path does not exist.
    """
    path = Path(path)
    if path.is_dir():
        h = hashlib.sha256()
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            h.update(child.relative_to(path).as_posix().encode("utf-8") + b"\0")
            h.update(digest_path(child).encode("ascii"))
        return h.hexdigest()
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def package_digest() -> str:
    """Digest of the ``lnutils`` source: every code, filter and template file of the package.

    The version string alone would miss edits made between releases, which is exactly
    when evaluators and developers rebuild. Computed afresh on every call (a few
    milliseconds), so that a long-lived process (a notebook calling ``build()``) sees edits.
    """
    h = hashlib.sha256()
    root = paths.PACKAGE_DIR
    for file in sorted(root.rglob("*")):
        if not file.is_file() or file.suffix not in SOURCE_SUFFIXES:
            continue
        if "__pycache__" in file.parts:
            continue
        h.update(file.relative_to(root).as_posix().encode("utf-8") + b"\0")
        h.update(file.read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=1)
def environment_versions() -> dict[str, str]:
    """Python and key package versions (from installed metadata, without importing them)."""
    versions = {"python": sys.version.split()[0]}
    for name in ("lnutils", *KEY_PACKAGES):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


class Cache:
    """A content-addressed store under one folder.

    Parameters
    ----------
    root : the cache folder (default :func:`lnutils.paths.cache_dir`).
    """

    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root is not None else paths.cache_dir()

    def _file(self, kind: str, key: str, suffix: str) -> Path:
        return self.root / kind / key[:2] / f"{key}{suffix}"

    def get_bytes(self, kind: str, key: str, suffix: str = "") -> bytes | None:
        """The stored bytes of an entry, or None."""
        file = self._file(kind, key, suffix)
        try:
            data = file.read_bytes()
            os.utime(file)  # marks the entry as used, for prune()
        except FileNotFoundError:
            return None
        return data

    def has(self, kind: str, key: str, suffix: str = "") -> bool:
        """Whether an entry is stored (without reading it or marking it as used)."""
        return self._file(kind, key, suffix).is_file()

    def put_bytes(self, kind: str, key: str, data: bytes, suffix: str = "") -> Path:
        """Store bytes under a key (atomically)."""
        file = self._file(kind, key, suffix)
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return file

    def get_json(self, kind: str, key: str) -> Any | None:
        data = self.get_bytes(kind, key, ".json")
        return None if data is None else json.loads(data.decode("utf-8"))

    def put_json(self, kind: str, key: str, value: Any) -> Path:
        text = json.dumps(value, ensure_ascii=False, indent=1, default=str)
        return self.put_bytes(kind, key, text.encode("utf-8"), ".json")

    def get_tree(self, kind: str, key: str) -> Path | None:
        """A stored folder (complete entries only), or None."""
        folder = self.root / kind / key[:2] / key
        if not folder.is_dir():
            return None
        os.utime(folder)  # marks the entry as used, for prune()
        return folder

    def put_tree(self, kind: str, key: str, files: dict[str, Path]) -> Path:
        """Store files (relative name -> source path) as one folder entry, atomically."""
        folder = self.root / kind / key[:2] / key
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".tmp-"))
        try:
            for rel, source in files.items():
                dest = tmp / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                if source.is_dir():
                    shutil.copytree(source, dest)
                else:
                    shutil.copy2(source, dest)
            try:
                os.replace(tmp, folder)
            except OSError:
                # Another build stored the same entry first; theirs is as good as ours.
                shutil.rmtree(tmp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return folder

    def prune(self, max_age_days: float = 30) -> int:
        """Delete entries not used for ``max_age_days``; return how many were deleted.

        Every hit refreshes an entry's modification time, so what a current build uses
        is never old. Temporary files of writes that died are deleted the same way.
        """
        if not self.root.is_dir():
            return 0
        limit = time.time() - max_age_days * 86400
        deleted = 0
        for kind in self.root.iterdir():
            for bucket in (kind.iterdir() if kind.is_dir() else []):
                for entry in (bucket.iterdir() if bucket.is_dir() else []):
                    try:
                        if entry.stat().st_mtime >= limit:
                            continue
                        if entry.is_dir():
                            shutil.rmtree(entry)
                        else:
                            entry.unlink()
                        deleted += 1
                    except FileNotFoundError:  # another build deleted it first
                        pass
        return deleted
