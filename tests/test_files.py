"""Reading a file without trusting the path: symlinks, FIFOs, devices and sockets are never
opened, and at most the size limit (plus one byte) is read."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from generator.core.files import NotRegularFile, is_regular, read_regular


def test_a_regular_file_is_read_with_its_size(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"title: x\n")
    assert read_regular(path, 100) == (b"title: x\n", 9)
    assert is_regular(path)


def test_a_symlink_is_never_followed_even_inside_the_folder(tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_text("title: x\n", encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "real.yaml")
    with pytest.raises(NotRegularFile) as caught:
        read_regular(tmp_path / "link.yaml", 100)
    assert caught.value.kind == "a symbolic link"
    assert "real.yaml" not in str(caught.value)  # the target is never named
    assert not is_regular(tmp_path / "link.yaml")


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda p: os.mkfifo(p), "a named pipe (FIFO)"),
        (lambda p: p.mkdir(), "a folder"),
        (lambda p: socket.socket(socket.AF_UNIX).bind(str(p)), "a socket"),
    ],
    ids=["fifo", "folder", "socket"],
)
def test_non_regular_files_are_never_opened(tmp_path: Path, make: object, kind: str) -> None:
    path = tmp_path / "x.yaml"
    make(path)  # type: ignore[operator]
    with pytest.raises(NotRegularFile) as caught:  # a FIFO would block an open: it returns
        read_regular(path, 100)
    assert caught.value.kind == kind


def test_a_device_is_never_opened() -> None:
    with pytest.raises(NotRegularFile) as caught:
        read_regular(Path("/dev/zero"), 100)
    assert caught.value.kind == "a character device"


def test_a_sparse_gigabyte_is_too_large_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(1 << 30)
    data, size = read_regular(path, 1024 * 1024)
    assert (data, size) == (b"", 1 << 30)


def test_at_most_the_limit_and_one_byte_is_read(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a" * 50)
    assert read_regular(path, 10) == (b"", 50)
    assert read_regular(path, 50) == (b"a" * 50, 50)
