"""Personas and helpers shared by the whole suite.

Access tests read like sentences: alice is an administrator, erin an editor, victor a
volunteer, wendy a read-only viewer; an anonymous visitor has no account.
"""

from __future__ import annotations

import pytest

# Imported inside fixtures so that pure-library tests (names, data files) run without Django.

PASSWORD = "correct horse battery staple 42"


def _user(django_user_model, username: str, role: str, **extra):
    return django_user_model.objects.create_user(username=username, password=PASSWORD, role=role, **extra)


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
