"""Personas and helpers shared by the whole suite.

Access tests read like sentences: alice is an administrator, erin an editor, victor a
volunteer, wendy a read-only viewer; an anonymous visitor has no account.
"""

from __future__ import annotations

import pytest

from personas import PASSWORD, TOTP_SECRET

# Django modules are imported inside fixtures so that pure-library tests (names, data files)
# run without Django.


def _user(django_user_model, username: str, role: str, **extra):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD, role=role, **extra)
    if role in ("admin", "editor"):  # two-factor login is required for them: enrolled already
        from django.utils import timezone

        from aigaq.accounts.models import TOTPDevice

        TOTPDevice.objects.create(user=user, secret=TOTP_SECRET, confirmed_at=timezone.now())
    return user


DB_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def pytest_collection_modifyitems(config, items):
    """On the PostgreSQL run (DATABASE_URL set), keep only the tests that touch the database.

    The rest (pure libraries, subprocesses on their own SQLite data folders, slow end-to-end
    runs) do not depend on the engine and already ran on the SQLite pass of `make test`.
    """
    import os

    if not os.environ.get("DATABASE_URL"):
        return
    keep, drop = [], []
    for item in items:
        uses_db = item.get_closest_marker("django_db") or DB_FIXTURES & set(getattr(item, "fixturenames", ()))
        slow = item.get_closest_marker("slow") or item.get_closest_marker("browser")
        (keep if uses_db and not slow else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a test that activates another (a Russian
    dossier, a Kazakh page) must not change the messages the next test in that worker sees."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def alice(db, django_user_model):
    return _user(django_user_model, "alice", "admin", is_staff=True, is_superuser=True)


@pytest.fixture
def erin(db, django_user_model):
    return _user(django_user_model, "erin", "editor")


@pytest.fixture
def victor(db, django_user_model):
    return _user(django_user_model, "victor", "volunteer")


@pytest.fixture
def wendy(db, django_user_model):
    return _user(django_user_model, "wendy", "viewer")


@pytest.fixture
def gazetteer(db):
    from aigaq.registry.gazetteer import load_gazetteer

    load_gazetteer()


@pytest.fixture(scope="session")
def _initialised_data(tmp_path_factory):
    """One `aigaq init` per test process; aigaq_env copies it, which is much faster than init."""
    import os
    import subprocess
    import sys

    root = tmp_path_factory.mktemp("aigaq-template")
    (root / "pw").write_text(PASSWORD)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(AIGAQ_DATA=str(root / "data"), DJANGO_SETTINGS_MODULE="aigaq.settings")
    cli = [sys.executable, "-m", "aigaq.cli"]
    subprocess.run([*cli, "init", "--quiet", "--admin-password-file", str(root / "pw")], env=env, check=True)
    return root / "data", env, cli


@pytest.fixture
def aigaq_env(_initialised_data, tmp_path):
    """A fresh, initialised data folder (SQLite file, instance key, vault) for running the
    `aigaq` command in a subprocess. Returns (env, cli): run `[*cli, "verify"]` with env=env."""
    import shutil

    template, env, cli = _initialised_data
    data = tmp_path / "data"
    shutil.copytree(template, data)
    return {**env, "AIGAQ_DATA": str(data)}, cli
