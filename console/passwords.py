"""Which passwords staff may choose (ASVS 2.1): 12 characters or more, none that attackers try first.

The list of common passwords is the 30,000 most frequent in Mark Burnett's set of passwords from
public breaches, as the zxcvbn package (MIT, installed from PyPI) ships it, so the check runs offline
and no password leaves the server. zxcvbn's estimate also refuses what that list's words, keyboard
walks, dates and repeats make easy to guess ("password1234"), and the clinic's own words.
"""

from __future__ import annotations

from functools import lru_cache
from typing import FrozenSet, Optional

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
MAX_LENGTH = 128  # passphrases are welcome; this only bounds the work of hashing one
# zxcvbn scores 0-4; 3 is "safely unguessable: moderate protection from an offline attack".
MIN_SCORE = 3
ZXCVBN_LENGTH = 72  # the most zxcvbn estimates; a longer password is judged by its start
CLINIC_WORDS = ("ketamine", "ki_ketamine", "clinic", "console", "staff", "westport")


@lru_cache(maxsize=1)
def common_passwords() -> FrozenSet[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, username: str = "") -> Optional[str]:
    """Why this password is refused, in words for the person choosing it; None when it is fine."""
    if len(password) < MIN_LENGTH:
        return f"at least {MIN_LENGTH} characters, please (a few words make a good passphrase)"
    if len(password) > MAX_LENGTH:
        return f"at most {MAX_LENGTH} characters"
    if password.lower() in common_passwords():
        return "that is one of the most common passwords in public breaches: choose another"
    estimate = zxcvbn(password[:ZXCVBN_LENGTH], user_inputs=[username, *CLINIC_WORDS])
    if estimate["score"] < MIN_SCORE:
        warning = estimate["feedback"].get("warning") or "it would be easy to guess"
        return f"too easy to guess ({warning.rstrip('.').lower()}): add words or make it less predictable"
    return None


def check_password(password: str, username: str = "") -> None:
    """Raise ValueError with the reason when the password may not be used."""
    problem = password_problem(password, username)
    if problem:
        raise ValueError(f"password: {problem}")
