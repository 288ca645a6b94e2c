"""Settings for the test suite: a throwaway data folder per process and a fast password hasher."""

import os
import tempfile

# One data folder per test worker. pytest-xdist workers inherit the environment of the process
# that started them, which has imported these settings already: taking AIGAQ_DATA as found would
# give every worker that one folder, and one worker's vault temp files and shard folders would
# show up in another worker's tests. A folder made here is marked as such, so a worker replaces
# the one it inherited, while a folder a test chooses for a subprocess (AIGAQ_DATA set by hand)
# is kept.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
_inherited = (os.environ.get("AIGAQ_DATA") == os.environ.get("AIGAQ_TEST_DATA_AUTO")
              and os.environ.get("AIGAQ_TEST_DATA_WORKER") != _worker)
if "AIGAQ_DATA" not in os.environ or _inherited:
    _folder = tempfile.mkdtemp(prefix=f"aigaq-test-{_worker}-")
    os.environ.update(AIGAQ_DATA=_folder, AIGAQ_TEST_DATA_AUTO=_folder, AIGAQ_TEST_DATA_WORKER=_worker)

from aigaq.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
