"""Constants of the test personas, importable from any test module.

Kept out of conftest.py: with several conftest.py files, `from conftest import …` resolves to
whichever was imported first.
"""

PASSWORD = "correct horse battery staple 42"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # personas' authenticator app (pyotp.TOTP(TOTP_SECRET))
