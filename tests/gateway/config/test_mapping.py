"""Mapping profiles are read once per version of their file."""

from __future__ import annotations

import os
import time

import pytest

from gateway.config.mapping import load_mapping
from gateway.config.settings import ConfigError


def test_an_unchanged_profile_is_read_once_for_every_file(tmp_path):
    (tmp_path / "acme.toml").write_text('[spreadsheet]\ndelimiter = ";"\n')
    assert load_mapping(tmp_path, "acme") is load_mapping(tmp_path, "acme")


def test_a_profile_edited_in_place_is_read_again(tmp_path):
    path = tmp_path / "acme.toml"
    path.write_text('[spreadsheet]\ndelimiter = ";"\n')
    assert load_mapping(tmp_path, "acme").spreadsheet.delimiter == ";"
    before = path.stat()
    path.write_text('[spreadsheet]\ndelimiter = ","\n')  # same size, same inode
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
    assert load_mapping(tmp_path, "acme").spreadsheet.delimiter == ","


def test_a_profile_edited_with_its_old_mtime_put_back_is_read_again(tmp_path):
    path = tmp_path / "acme.toml"
    path.write_text('[spreadsheet]\ndelimiter = ";"\n')
    assert load_mapping(tmp_path, "acme").spreadsheet.delimiter == ";"
    before = path.stat()
    time.sleep(0.05)  # past the kernel's coarse clock tick, as any human edit is
    path.write_text('[spreadsheet]\ndelimiter = ","\n')  # same size, same inode
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # same mtime too
    assert load_mapping(tmp_path, "acme").spreadsheet.delimiter == ","


def test_a_profile_replaced_by_a_rename_is_read_again(tmp_path):
    path = tmp_path / "acme.toml"
    path.write_text('[spreadsheet]\ndelimiter = ";"\n')
    assert load_mapping(tmp_path, "acme").spreadsheet.delimiter == ";"
    new = tmp_path / "acme.toml.new"
    new.write_text('[spreadsheet]\ndelimiter = "|"\n')
    os.utime(new, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns))  # same time too
    new.replace(path)
    assert load_mapping(tmp_path, "acme").spreadsheet.delimiter == "|"


def test_a_profile_removed_since_it_was_read_is_refused(tmp_path):
    path = tmp_path / "acme.toml"
    path.write_text('[spreadsheet]\ndelimiter = ";"\n')
    load_mapping(tmp_path, "acme")
    path.unlink()
    with pytest.raises(ConfigError, match="mapping profile 'acme' not found"):
        load_mapping(tmp_path, "acme")


def test_a_profile_broken_by_an_edit_is_refused_not_served_from_before(tmp_path):
    path = tmp_path / "acme.toml"
    path.write_text('[spreadsheet]\ndelimiter = ";"\n')
    load_mapping(tmp_path, "acme")
    path.write_text('[spreadsheet]\ndelimitr = ";"\n')
    with pytest.raises(ConfigError, match="delimitr"):
        load_mapping(tmp_path, "acme")
