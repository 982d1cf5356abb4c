"""Two Rasa instances share one conversation store and lock: turns may land on either, nothing is lost."""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from collections import Counter
from typing import Callable, Dict, List, Tuple

import aiohttp

from scripts.bench import BOOKING, ESCALATION, MYTH
from scripts.cluster import Cluster
from tests.chat import joined
from tests.production.conftest import Chat


def user_messages(events: List[Dict]) -> List[str]:
    return [event["text"] for event in events if event["event"] == "user"]


def test_a_booking_alternating_between_instances_stays_coherent_and_is_stored_once(
    chat: Chat, cluster: Cluster
) -> None:
    sender = "alternating-" + secrets.token_hex(4)
    replies = [
        joined(chat.say(sender, message, via=cluster.instance_urls[number % 2]))
        for number, message in enumerate(BOOKING)
    ]
    # Each instance carried on the form where the other left it.
    assert "name" in replies[0].lower() and "phone" in replies[1].lower()
    reference = re.search(r"reference number is (A-[A-Z0-9]{6})", replies[-1]).group(1)
    [request] = chat.rows("select name, phone, office from appointment_requests where sender_id = :s", s=sender)
    assert tuple(request) == ("Jordan Reyes", "+12035550142", "Stamford")
    assert chat.rows("select reference from appointment_requests where sender_id = :s", s=sender)[0][0] == reference

    events = chat.events(sender)
    assert user_messages(events) == BOOKING  # each turn once, in the order sent
    stamps = [event["timestamp"] for event in events]
    assert stamps == sorted(stamps)
    tracker = chat.tracker(sender)
    assert len(tracker["events"]) == len(events)
    assert tracker["slots"]["appointment_reference"] == reference


async def _post(session: aiohttp.ClientSession, url: str, sender: str, message: str) -> int:
    """One message over REST without waiting for other conversations; the status it got."""
    async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}) as reply:
        await reply.read()
        return reply.status


async def _conversation(
    session: aiohttp.ClientSession, url: str, sender: str, turns: List[str]
) -> Tuple[str, List[int], List[float]]:
    statuses, latencies = [], []
    for message in turns:
        started = time.monotonic()
        statuses.append(await _post(session, url, sender, message))
        latencies.append(time.monotonic() - started)
    return sender, statuses, latencies


async def _load(url: str, conversations: Dict[str, List[str]]) -> List[Tuple[str, List[int], List[float]]]:
    timeout = aiohttp.ClientTimeout(total=600)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        return await asyncio.gather(
            *(_conversation(session, url, sender, turns) for sender, turns in conversations.items())
        )


def ten_turns(kind: int) -> List[str]:
    """Ten turns: a booking to the end, an escalation, or myths; each padded with myth questions."""
    base = [BOOKING, ESCALATION, MYTH][kind % 3]
    return (base + MYTH * 2)[:10]


def test_fifty_conversations_of_ten_turns_through_nginx_lose_and_duplicate_nothing(
    chat: Chat, cluster: Cluster, figure: Callable[[str], None]
) -> None:
    run = secrets.token_hex(3)
    conversations = {f"load-{run}-{number:02d}": ten_turns(number) for number in range(50)}
    started = time.monotonic()
    results = asyncio.run(_load(cluster.url, conversations))
    wall = time.monotonic() - started

    assert all(statuses == [200] * 10 for _, statuses, _ in results), [r[:2] for r in results if set(r[1]) != {200}]
    bookings = [sender for number, sender in enumerate(conversations) if number % 3 == 0]
    stored = Counter(
        row[0]
        for row in chat.rows("select sender_id from appointment_requests where sender_id like :p", p=f"load-{run}-%")
    )
    assert stored == Counter(bookings)  # every booking stored exactly once, nothing else
    for sender, turns in conversations.items():
        events = chat.events(sender)
        assert user_messages(events) == turns, sender
        ids = [event.get("message_id") for event in events if event["event"] == "user"]
        assert len(set(ids)) == len(ids), sender
    latencies = sorted(latency for _, _, turn_latencies in results for latency in turn_latencies)
    figure(
        f"Load through nginx and 2 instances: 50 conversations x 10 turns = {len(latencies)} turns in "
        f"{wall:.1f} s ({len(latencies) / wall:.1f} turns/s), p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms, {len(bookings)} bookings stored once each, "
        "0 errors, 0 lost or duplicated user events"
    )


async def _drain(url: str, queue_name: str) -> List[Dict]:
    """Every message waiting in the cluster's RabbitMQ queue, taken off it."""
    import json

    import aio_pika

    connection = await aio_pika.connect_robust(url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(queue_name, passive=True)
        messages, quiet_since = [], asyncio.get_running_loop().time()
        while asyncio.get_running_loop().time() - quiet_since < 3:  # the broker publishes after each turn
            message = await queue.get(no_ack=True, fail=False)
            if message is None:
                await asyncio.sleep(0.2)
                continue
            messages.append(json.loads(message.body))
            quiet_since = asyncio.get_running_loop().time()
        return messages


def test_every_stored_event_reaches_rabbitmq_exactly_once(chat: Chat, cluster: Cluster) -> None:
    published = asyncio.run(_drain(cluster.env["RABBITMQ_URL"], cluster.queue))
    stored = chat.rows("select sender_id, type_name, timestamp from events")
    assert len(stored) > 500
    assert Counter((m["sender_id"], m["event"], m["timestamp"]) for m in published) == Counter(map(tuple, stored))


def test_messages_sent_at_once_to_both_instances_are_handled_one_turn_at_a_time(chat: Chat, cluster: Cluster) -> None:
    """A visitor who double-sends, or types fast: the lock store must serialise turns across instances."""
    sender = "at-once-" + secrets.token_hex(4)
    chat.say(sender, "hi")
    messages = [f"is ketamine addictive? ({number})" for number in range(10)]

    async def send_all() -> List[int]:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as session:
            return await asyncio.gather(
                *(
                    _post(session, cluster.instance_urls[number % 2], sender, message)
                    for number, message in enumerate(messages)
                )
            )

    assert asyncio.run(send_all()) == [200] * 10
    events = chat.events(sender)
    assert sorted(user_messages(events)) == sorted(["hi"] + messages)
    # Each turn is whole: a user message, its answer, then listening, before the next message.
    turns = []
    for event in events:
        if event["event"] == "user":
            turns.append([])
        elif turns:
            turns[-1].append(event)
    for turn in turns:
        actions = [event["name"] for event in turn if event["event"] == "action"]
        assert actions and actions[-1] == "action_listen" and actions.count("action_listen") == 1, actions
        assert any(event["event"] == "bot" for event in turn)
