"""Settings for the test suite: a throwaway data folder per process and a fast password hasher."""

import os
import tempfile

os.environ.setdefault("AIGAQ_DATA", tempfile.mkdtemp(prefix="aigaq-test-"))

from aigaq.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
