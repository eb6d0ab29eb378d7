"""Where a received file ends, and reading it exactly once: real files on a real disk."""

from __future__ import annotations

import os
import socket
import threading

import pytest

from gateway.intake.files import (
    NotTaken,
    StillWritten,
    archive_snapshot,
    changed_since,
    kept_name,
    quarantine,
    take_snapshot,
)


def test_snapshot_holds_the_bytes_size_and_mtime_read(tmp_path):
    path = tmp_path / "o.csv"
    path.write_bytes(b"a;b\n1;2\n")
    snap = take_snapshot(path, max_size=100)
    st = path.stat()
    assert (snap.data, snap.size, snap.mtime_ns) == (b"a;b\n1;2\n", st.st_size, st.st_mtime_ns)


def test_a_file_over_the_limit_is_refused_unread(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 101)
    with pytest.raises(NotTaken, match="101 bytes, over the partner's limit of 100 bytes"):
        take_snapshot(path, max_size=100)


def test_fifo_socket_and_symlink_are_refused_without_being_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe")  # opening it for reading would wait for a writer
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "sock"))
    (tmp_path / "link").symlink_to(tmp_path / "pipe")
    refused = {}
    for name in ("pipe", "sock", "link"):
        with pytest.raises(NotTaken) as caught:
            take_snapshot(tmp_path / name, max_size=100)
        refused[name] = caught.value.reason
    sock.close()
    assert "a named pipe (FIFO)" in refused["pipe"]
    assert "a socket" in refused["sock"]
    assert "a symbolic link" in refused["link"]


def test_a_file_with_a_second_name_elsewhere_is_refused(tmp_path):
    outside = tmp_path / "secret.csv"
    outside.write_bytes(b"secret")
    os.link(outside, tmp_path / "inbox.csv")
    with pytest.raises(NotTaken, match="a hard link"):
        take_snapshot(tmp_path / "inbox.csv", max_size=100)


def test_a_file_growing_while_it_is_read_is_not_taken(tmp_path):
    path = tmp_path / "growing.csv"
    path.write_bytes(b"x" * 20_000_000)
    stop = threading.Event()

    def writer() -> None:
        with open(path, "ab") as fh:
            while not stop.is_set():
                fh.write(b"y")
                fh.flush()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        with pytest.raises(StillWritten):
            for _ in range(200):
                take_snapshot(path, max_size=10**9)
    finally:
        stop.set()
        thread.join()


def test_written_after_it_was_read_the_archive_holds_what_was_read_and_the_rest_is_kept(
    sqlite_workspace,
):
    ws = sqlite_workspace
    path = ws.processing("shop") / "o.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"first part\n")
    snap = take_snapshot(path, max_size=100)
    with open(path, "ab") as fh:
        fh.write(b"written late\n")
    assert changed_since(path, snap)
    target = ws.root / "archive" / "shop" / "o.csv"
    assert archive_snapshot(ws, "shop", path, snap, target) == target
    assert target.read_bytes() == b"first part\n"
    kept = ws.failed_dir("shop") / "o.csv"
    assert kept.read_bytes() == b"first part\nwritten late\n"
    assert (
        "was written to after it was read"
        in (ws.failed_dir("shop") / "o.csv.reason.txt").read_text()
    )


def test_a_long_name_is_kept_shortened_with_a_hash_and_its_extension(tmp_path):
    name = "commande " * 40 + ".csv"
    kept = kept_name(name)
    assert len(kept.encode()) <= 255 - len(".reason.txt") - 8
    assert kept.startswith("commande commande") and kept.endswith(".csv")
    assert kept_name(name[:-5] + "X.csv") != kept  # two long names stay apart


def test_a_name_that_is_not_utf8_is_quarantined_with_a_readable_reason(sqlite_workspace):
    ws = sqlite_workspace
    folder = os.fsencode(ws.processing("shop"))
    os.makedirs(folder, exist_ok=True)
    raw = os.path.join(folder, "caf\xe9.csv".encode("latin-1"))
    with open(raw, "wb") as fh:
        fh.write(b"x")
    path = ws.processing("shop") / os.fsdecode(os.path.basename(raw))
    moved = quarantine(ws, "shop", path, f"{path.name} could not be read")
    assert moved.name == "caf\\xe9.csv"
    note = moved.with_name(moved.name + ".reason.txt").read_text(encoding="utf-8")
    assert "file: caf\\xe9.csv" in note and "reason: caf\\xe9.csv could not be read" in note
