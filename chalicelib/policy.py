"""The password policy, stated once: the API checks it, the user pool template mirrors it
(a test compares the two), and the message tells a person what to do."""

from __future__ import annotations

import re

MIN_LENGTH = 12
MAX_LENGTH = 256
# Cognito's accepted special characters.
SYMBOLS = "^$*.[]{}()?-\"!@#%&/\\,><':;|_~`+= "
MESSAGE = (
    f"Passwords need at least {MIN_LENGTH} characters, with an upper-case letter, a lower-case letter, "
    "a digit and a symbol."
)


def password_problems(password: str) -> list[str]:
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        problems.append(f"at most {MAX_LENGTH} characters")
    if not re.search(r"[A-Z]", password):
        problems.append("an upper-case letter")
    if not re.search(r"[a-z]", password):
        problems.append("a lower-case letter")
    if not re.search(r"[0-9]", password):
        problems.append("a digit")
    if not any(char in SYMBOLS for char in password.strip()):
        problems.append("a symbol")
    if password != password.strip():
        problems.append("no space at the start or the end")
    return problems
