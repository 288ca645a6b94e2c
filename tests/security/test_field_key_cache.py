"""The field keyring is read once per key-file version, and a replaced key file is picked up at once."""

from __future__ import annotations

import os

import pytest

from aigaq.core import crypto


@pytest.fixture
def key_file(tmp_path, monkeypatch):
    path = tmp_path / "field-key"
    monkeypatch.delenv("AIGAQ_FIELD_KEY", raising=False)
    monkeypatch.setenv("AIGAQ_FIELD_KEY_FILE", str(path))
    crypto.forget_keys()
    yield path
    crypto.forget_keys()


def test_the_key_file_is_not_reread_for_every_value(key_file, monkeypatch):
    crypto.write_keyring(key_file, [crypto.new_key_line()])
    stored = crypto.encrypt("secret", "t.f")
    reads = []
    real = type(key_file).read_text
    monkeypatch.setattr(type(key_file), "read_text", lambda self, *a, **k: reads.append(self) or real(self, *a, **k))
    assert [crypto.decrypt(stored, "t.f") for _ in range(50)] == ["secret"] * 50
    assert reads == []


def test_a_rotated_key_file_is_used_without_forgetting_keys(key_file):
    old = crypto.new_key_line()
    crypto.write_keyring(key_file, [old])
    before = crypto.encrypt("before", "t.f")
    new = crypto.new_key_line()
    crypto.write_keyring(key_file, [new, old])  # what `aigaq keys rotate` writes first
    after = crypto.encrypt("after", "t.f")
    assert crypto.key_id_of(after) == new.split()[0] != crypto.key_id_of(before)
    assert crypto.decrypt(before, "t.f") == "before"
    crypto.write_keyring(key_file, [new])  # the old key dropped
    with pytest.raises(crypto.MissingKey):
        crypto.decrypt(before, "t.f")
    assert crypto.decrypt(after, "t.f") == "after"


def test_a_key_file_rewritten_in_place_is_read_again(key_file):
    first, second = crypto.new_key_line(), crypto.new_key_line()
    key_file.write_text(first + "\n", encoding="ascii")
    assert crypto.keyring()[0][0] == first.split()[0]
    st = key_file.stat()
    key_file.write_text(second + "\n", encoding="ascii")  # same inode, same length
    os.utime(key_file, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert crypto.keyring()[0][0] == second.split()[0]
