"""Lock stores that keep one conversation's turns in order across several Rasa processes.

``SQLLockStore`` (the default profile) queues turns in the project's database,
for the Rasa server's worker processes on one machine; ``AtomicRedisLockStore``
(the production profile) queues them in Redis, for instances on several machines.

The Redis one, in detail:

Rasa handles the turns of one conversation one at a time by taking a ticket
from its lock store. Its ``RedisLockStore`` reads the whole lock, changes it
in Python and writes it back, in separate Redis calls (RasaHQ/rasa#9213): two
instances can take the same ticket, or one can delete the lock while the
other is queueing, and then both work on the same conversation at once.
Here each step is one Lua script, so Redis runs it atomically:

- ``issue``: ticket = INCR of a counter, queued in a sorted set with an expiry.
- ``acquire``: my ticket is first in the queue (expired ones ahead are dropped).
- ``release``: my ticket leaves; the last one out deletes the keys.

Turns are still served first come, first served, and a ticket expires after
``TICKET_LOCK_LIFETIME`` (Rasa's setting, 60 s) if its instance died.

Turns of one conversation also queue inside each instance first (an asyncio
lock), so only one of them at a time holds a Redis ticket. When Redis cannot
be reached the assistant keeps answering on that lock alone (turns stay
ordered per instance) and an error is logged, since two instances could then
overlap on one conversation.
Answering a patient, perhaps in crisis, matters more than that rare overlap.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from contextlib import asynccontextmanager
from typing import AsyncIterator, List, Optional, Text, Tuple

import redis.asyncio as redis
import sqlalchemy as sa
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeoutError

import settings
from rasa_stores.tracker_store import store_engine
from records.schema import database_url

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

# Redis' own clock for expiry, so instances with drifting clocks agree.
_NOW_MS = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "

# KEYS: counter, queue, expiries. ARGV: lifetime in ms.
ISSUE = (
    _NOW_MS
    + """
local ticket = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], ticket, ticket)
redis.call('HSET', KEYS[3], ticket, now + tonumber(ARGV[1]))
for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, ARGV[1]) end
return ticket
"""
)

# KEYS: queue, expiries. ARGV: ticket. 1 = mine, 0 = wait, -1 = my ticket is gone (expired).
ACQUIRE = (
    _NOW_MS
    + """
while true do
  local first = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
  if not first then return -1 end
  if first == ARGV[1] then return 1 end
  if tonumber(redis.call('HGET', KEYS[2], first) or '0') > now then return 0 end
  redis.call('ZREM', KEYS[1], first)
  redis.call('HDEL', KEYS[2], first)
end
"""
)

# KEYS: counter, queue, expiries. ARGV: ticket.
RELEASE = """
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
if redis.call('ZCARD', KEYS[2]) == 0 then redis.call('DEL', KEYS[1], KEYS[2], KEYS[3]) end
return 1
"""


class ConversationQueue:
    """Turns of one conversation queue inside this process first, so only one at a time holds a ticket."""

    def __init__(self) -> None:
        # One per conversation being handled here; an entry lives as long as someone holds or awaits it.
        self._local: "weakref.WeakValueDictionary[Text, asyncio.Lock]" = weakref.WeakValueDictionary()

    @asynccontextmanager
    async def _local_lock(self, conversation_id: Text) -> AsyncIterator[None]:
        lock = self._local.get(conversation_id)
        if lock is None:
            lock = self._local[conversation_id] = asyncio.Lock()
        async with lock:
            yield


TICKETS = sa.Table(
    "conversation_locks",
    sa.MetaData(),
    sa.Column("ticket", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("expires_at", sa.Float, nullable=False),
)


class SQLLockStore(ConversationQueue, LockStore):
    """Rasa lock store on tickets in the project's database; ``type: rasa_stores.lock_store.SQLLockStore``.

    Rasa's in-memory lock store orders turns inside one process only, and Rasa
    refuses more than one Sanic worker with it. This one lets the default
    profile run the Rasa server as ``RASA_WORKERS`` processes (2 by default,
    for the two cores: 20 visitors at once went from 31-33 to 51-69 turns
    a second) with nothing more than its SQLite file. Each step is one
    transaction: issue (a new row), acquire (expired rows ahead are dropped;
    mine is the first left), release (my row goes). A ticket expires after
    ``TICKET_LOCK_LIFETIME`` (60 s) if its process died. Expiry uses each
    process's clock, so it is for processes on one machine; across machines
    the production profile's Redis store uses Redis' clock.
    """

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: object) -> None:
        self.engine = store_engine((endpoint_config.url if endpoint_config else None) or database_url(), future=True)
        try:
            TICKETS.metadata.create_all(self.engine)
        except sa.exc.DBAPIError:  # another worker created it at the same moment; anything else fails again here
            TICKETS.metadata.create_all(self.engine)
        self.poll_seconds = settings.get().LOCK_POLL_SECONDS
        ConversationQueue.__init__(self)
        LockStore.__init__(self)

    @asynccontextmanager
    async def lock(
        self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncIterator[TicketLock]:
        """Hold the conversation's lock; Rasa's ``wait_time_in_seconds`` (1 s polls) is replaced by ``poll_seconds``."""
        async with self._local_lock(conversation_id):
            with self.engine.begin() as connection:
                ticket = connection.execute(
                    TICKETS.insert().values(conversation_id=conversation_id, expires_at=time.time() + lock_lifetime)
                ).inserted_primary_key[0]
            try:
                while not self._is_first(conversation_id, ticket):
                    await asyncio.sleep(self.poll_seconds)
                yield TicketLock(conversation_id)
            finally:
                with self.engine.begin() as connection:
                    connection.execute(TICKETS.delete().where(TICKETS.c.ticket == ticket))

    def _is_first(self, conversation_id: Text, ticket: int) -> bool:
        mine = TICKETS.c.conversation_id == conversation_id
        with self.engine.begin() as connection:
            connection.execute(TICKETS.delete().where(mine, TICKETS.c.expires_at < time.time()))
            first = connection.execute(sa.select(sa.func.min(TICKETS.c.ticket)).where(mine)).scalar()
        if first is None or first > ticket:  # mine expired while it waited
            raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
        return first == ticket


class AtomicRedisLockStore(ConversationQueue, LockStore):
    """Rasa lock store on Redis with atomic tickets; loaded by ``type: rasa_stores.lock_store.AtomicRedisLockStore``."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: object) -> None:
        config = settings.get()
        options = {**(endpoint_config.kwargs if endpoint_config else {}), **kwargs}
        url = (endpoint_config.url if endpoint_config else None) or config.REDIS_URL
        timeout = float(options.get("socket_timeout", config.LOCK_STORE_TIMEOUT_SECONDS))
        self.redis = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        self.key_prefix = str(options.get("key_prefix") or "lock") + ":"
        self.poll_seconds = float(options.get("poll_seconds", config.LOCK_POLL_SECONDS))
        self._issue = self.redis.register_script(ISSUE)
        self._acquire = self.redis.register_script(ACQUIRE)
        self._release = self.redis.register_script(RELEASE)
        self._unreachable_since: Optional[float] = None
        self._unreleased: List[Tuple[List[str], int]] = []
        ConversationQueue.__init__(self)
        LockStore.__init__(self)

    def _keys(self, conversation_id: Text) -> List[str]:
        # The braces keep one conversation's keys on one node of a Redis Cluster.
        base = f"{self.key_prefix}{{{conversation_id}}}"
        return [f"{base}:counter", f"{base}:queue", f"{base}:expires"]

    @asynccontextmanager
    async def lock(
        self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncIterator[TicketLock]:
        """Hold the conversation's lock; Rasa's ``wait_time_in_seconds`` (1 s polls) is replaced by ``poll_seconds``."""
        counter, queue, expires = self._keys(conversation_id)
        # Turns of one conversation inside this instance queue here first, so they
        # stay ordered, and still apart, whenever Redis fails to answer.
        async with self._local_lock(conversation_id):
            try:
                ticket = int(await self._issue(keys=[counter, queue, expires], args=[int(lock_lifetime * 1000)]))
            except UNREACHABLE as error:
                self._report_unreachable(error)
                yield TicketLock(conversation_id)
                return
            await self._reachable_again()
            try:
                try:
                    await self._wait_for_turn(conversation_id, ticket, queue, expires)
                except UNREACHABLE as error:  # lost while queueing: carry on with the local lock alone
                    self._report_unreachable(error)
                yield TicketLock(conversation_id)
            finally:
                try:
                    await self._release(keys=[counter, queue, expires], args=[ticket])
                except UNREACHABLE as error:  # given back once Redis answers again
                    self._report_unreachable(error)
                    self._unreleased.append(([counter, queue, expires], ticket))

    async def _wait_for_turn(self, conversation_id: Text, ticket: int, queue: str, expires: str) -> None:
        while True:
            state = int(await self._acquire(keys=[queue, expires], args=[ticket]))
            if state == 1:
                return
            if state == -1:
                raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
            await asyncio.sleep(self.poll_seconds)

    def _report_unreachable(self, error: Exception) -> None:
        if self._unreachable_since is None:
            self._unreachable_since = time.monotonic()
            logger.error(
                "Lock store (Redis) unreachable: %s. Still answering, with turns ordered within this "
                "instance only; two instances may now handle one conversation at the same time.",
                error,
            )

    async def _reachable_again(self) -> None:
        """After an outage: say so, and give back the tickets this instance could not release,
        which would otherwise hold their conversations until they expire."""
        if self._unreachable_since is None:
            return
        logger.warning("Lock store (Redis) reachable again after %.0fs.", time.monotonic() - self._unreachable_since)
        self._unreachable_since = None
        while self._unreleased:
            keys, ticket = self._unreleased[0]
            try:
                await self._release(keys=keys, args=[ticket])
            except UNREACHABLE as error:
                self._report_unreachable(error)
                return
            self._unreleased.pop(0)
