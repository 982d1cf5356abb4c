"""A valid appointment request, as the booking form hands it to the store, for tests that need one."""

from __future__ import annotations

from typing import Any, Dict

DETAILS: Dict[str, Any] = {
    "name": "Maria Lopez",
    "phone": "+12035550147",
    "email": None,
    "office": "Westport",
    "preferred_times": "weekday mornings",
    "reason": None,
    "consent": True,
}
