"""The outbox worker: ``python -m worker`` (``serve/run.py`` starts it).

Each round it delivers the staff notifications that are due (``worker.outbox``)
and finishes what failed while the action server was down (``worker.recovery``).
"""

from __future__ import annotations

import logging
import time

import settings
from records.store import default_store
from worker.outbox import deliver_due
from worker.recovery import Recovery

logger = logging.getLogger("worker")


def main() -> None:  # pragma: no cover - the loop around deliver_due
    config = settings.get()
    logging.basicConfig(level=config.LOG_LEVEL, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    interval = config.OUTBOX_POLL_SECONDS
    store = default_store()
    recovery = Recovery(store.engine)
    logger.info("outbox worker polling every %.1fs", interval)
    while True:
        try:
            count = deliver_due(store)
            if count:
                logger.info("delivered %d staff notification(s)", count)
            recovery.resume()
        except Exception:
            logger.exception("outbox pass failed; retrying")
        time.sleep(interval)


if __name__ == "__main__":
    main()
