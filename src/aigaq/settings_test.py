"""Settings for the test suite: a throwaway data folder per process and a fast password hasher."""

import os
import tempfile

# One data folder per test process. pytest-xdist workers inherit the environment of the process
# that started them, which has imported these settings already: a plain setdefault would give every
# worker that one folder, and one worker's vault temp files and shard folders would then show up
# in another worker's tests.
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker or "AIGAQ_DATA" not in os.environ:
    os.environ["AIGAQ_DATA"] = tempfile.mkdtemp(prefix=f"aigaq-test-{_worker or 'main'}-")

from aigaq.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
