import os
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from aigaq.env import envbool, envint, envstr, secret_file


def test_envbool_reads_the_usual_spellings_and_refuses_others(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert envbool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "off")
    assert envbool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG='maybe'"):
        envbool("X_FLAG")


def test_envint_refuses_words(monkeypatch):
    monkeypatch.setenv("X_N", "ten")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        envint("X_N", 1)
    monkeypatch.delenv("X_N")
    assert envint("X_N", 7) == 7


def test_file_variant_wins_for_secrets(monkeypatch, tmp_path):
    f = tmp_path / "s"
    f.write_text("from-file\n")
    monkeypatch.setenv("X_SECRET", "from-env")
    monkeypatch.setenv("X_SECRET_FILE", str(f))
    assert envstr("X_SECRET") == "from-file"
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot read"):
        envstr("X_SECRET")


def test_secret_file_is_created_once_and_private(tmp_path):
    path = tmp_path / "keys" / "k"
    first = secret_file(path)
    assert secret_file(path) == first and len(first) > 40
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
