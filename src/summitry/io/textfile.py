"""Reading and writing the user's text files, with one-line errors and no partial writes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from summitry.errors import InputError


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, refusing empty, binary and non-UTF-8 files with a clear line.

    A leading byte-order mark is dropped and line endings are normalised to Unix newlines.
    Usage: ``text = read_text(Path("summit.toml"))``.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror})") from None
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    if b"\x00" in data:
        raise InputError(f"{path}: this is a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(
            f"{path}:{line}: the file is not UTF-8 text (byte 0x{data[err.start]:02x} at "
            f"offset {err.start}); save it as UTF-8"
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def write_text(path: Path, text: str | bytes) -> None:
    """Write a file atomically: either the whole new content lands or nothing changes.

    Text is written as UTF-8 with Unix newlines; bytes as they are.
    Usage: ``write_text(Path("out/summit.toml"), toml_text)``.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError(f"{path}: is a directory; give a file name to write")
    if not folder.is_dir():
        raise InputError(f"{path}: cannot write, the folder '{folder}' does not exist")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as err:
        raise InputError(f"{path}: cannot write ({err.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8") if isinstance(text, str) else text)
        # mkstemp makes the file private; give it the mode a plain write would have had.
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temporary, path)
    except OSError as err:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write ({err.strerror})") from None
