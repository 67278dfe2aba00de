"""Which stored brief belongs to an event as it is now. Apart from the brief builder, whose
imports (scikit-learn, the cleaner) cost a second: a command that prints a stored brief reads it
without them."""

from __future__ import annotations

import hashlib
import json

from storyline.model import Event


def brief_key(event: Event) -> str:
    """What a stored brief was built from: its event record (members, roles, date, title)."""
    record = json.dumps(event.to_dict(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(record.encode("utf-8")).hexdigest()
