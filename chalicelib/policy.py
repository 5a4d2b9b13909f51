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


def _char_class(chars: str) -> str:
    return "".join(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else char for char in chars)


# The policy as JSON Schema, for the OpenAPI document (a test checks it against password_problems):
# each pattern must be found somewhere in the password (a space inside counts as a symbol), and
# no whitespace (as str.strip sees it) at either end.
_SPACE = _char_class("".join(chr(code) for code in range(0x3100) if chr(code).isspace()))
JSON_SCHEMA = {
    "minLength": MIN_LENGTH,
    "maxLength": MAX_LENGTH,
    "allOf": [
        {"pattern": "[A-Z]"},
        {"pattern": "[a-z]"},
        {"pattern": "[0-9]"},
        {"pattern": f"[{_char_class(SYMBOLS)}]"},
        {"pattern": f"^[^{_SPACE}](?:[\\s\\S]*[^{_SPACE}])?$"},
    ],
    "description": MESSAGE,
}


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
