"""The production profile on one machine: Rasa instances, action server, worker and nginx.

Each part is its own `serve/run.py --only ...` process (or nginx), as the
docs/production.md starts them, so a test can kill and restart one part while the others
keep running. Every cluster gets a new PostgreSQL database and its own
RabbitMQ queue; conversation ids keep Redis keys apart.

Services (loopback by default): POSTGRES_ADMIN_URL (a role that may create
databases), TEST_REDIS_URL, TEST_RABBITMQ_URL.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

import aio_pika
import psycopg2
from sqlalchemy.engine import make_url

import settings
from scripts.servers import RunPy, clean_environment
from serve.nginx import render
from serve.run import free_port

ADMIN_URL = settings.get().POSTGRES_ADMIN_URL
REDIS_URL = settings.get().TEST_REDIS_URL
RABBITMQ_URL = settings.get().TEST_RABBITMQ_URL


def _admin(sql: str) -> None:
    url = make_url(ADMIN_URL)
    connection = psycopg2.connect(
        host=url.host, port=url.port or 5432, user=url.username, password=url.password, dbname=url.database
    )
    connection.autocommit = True  # CREATE/DROP DATABASE refuse to run inside a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def create_database(name: str) -> str:
    """A new, empty PostgreSQL database; its URL."""
    _admin(f'CREATE DATABASE "{name}"')
    return str(make_url(ADMIN_URL).set(database=name))


def drop_database(name: str) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Cluster:
    """``instances`` Rasa servers behind nginx, sharing PostgreSQL, Redis and RabbitMQ."""

    def __init__(self, workdir: Path, instances: int = 2, env: Optional[Dict[str, str]] = None) -> None:
        self.workdir = workdir
        self.database = "assistant_test_" + secrets.token_hex(4)
        self.database_url = create_database(self.database)
        self.token = secrets.token_urlsafe(16)
        # Its own fanout exchange and queue: a RabbitMQ shared with a real assistant gets no test events.
        self.queue = "rasa_events_" + secrets.token_hex(4)
        self.exchange = "rasa_test_" + secrets.token_hex(4)
        self.rasa_ports = [free_port() for _ in range(instances)]
        self.port = free_port()  # nginx
        self.env = clean_environment(
            RASA_ENDPOINTS="endpoints.production.yml",
            DATABASE_URL=self.database_url,
            REDIS_URL=REDIS_URL,
            RABBITMQ_URL=RABBITMQ_URL,
            RABBITMQ_QUEUE=self.queue,
            RABBITMQ_EXCHANGE=self.exchange,
            RASA_API_TOKEN=self.token,
            ACTION_SERVER_TOKEN=secrets.token_urlsafe(16),
            SESSION_SECRET=secrets.token_urlsafe(32),  # one for every instance, as production must have
            ACTION_PORT=str(free_port()),
            RASA_URL=f"http://127.0.0.1:{self.port}",
            RASA_WORKERS="1",  # the instances are the processes here: two of them on two cores
        )
        self.env.update(env or {})
        self.url = f"http://127.0.0.1:{self.port}"
        self.instance_urls = [f"http://127.0.0.1:{port}" for port in self.rasa_ports]
        self.parts: Dict[str, RunPy] = {}
        self.nginx: Optional[subprocess.Popen] = None

    def start(self) -> float:
        """Start every part; seconds until all answer. The action server goes first: it migrates the tables."""
        started = time.monotonic()
        self.start_part("actions")
        self.parts["actions"].wait_until_up()
        self.start_part("worker")
        for number in range(len(self.rasa_ports)):
            self.start_part(f"rasa-{number + 1}")
        for part in self.parts.values():
            part.wait_until_up()
        self.start_nginx()
        return time.monotonic() - started

    def start_part(self, name: str) -> RunPy:
        """(Re)start one part: ``actions``, ``worker`` or ``rasa-N``."""
        env = dict(self.env)
        if name.startswith("rasa-"):
            env["RASA_PORT"] = str(self.rasa_ports[int(name.split("-")[1]) - 1])
        only = "rasa" if name.startswith("rasa-") else name
        self.parts[name] = RunPy(env, self.workdir / f"{name}.log", only=only)
        return self.parts[name]

    def kill(self, name: str) -> None:
        """Kill a part with SIGKILL, as a crash would: its run.py and the server under it."""
        part = self.parts[name]
        for pid in part.server_pids().values():
            os.killpg(pid, signal.SIGKILL)  # run.py gives each server its own process group
        part.process.kill()
        part.process.wait()
        part.log.close()

    def start_nginx(self) -> None:
        conf = self.workdir / "nginx.conf"
        conf.write_text(
            render(f"127.0.0.1:{self.port}", [url.split("//")[1] for url in self.instance_urls], self.workdir / "nginx")
        )
        nginx = settings.get().NGINX or shutil.which("nginx") or "/usr/sbin/nginx"
        self.nginx = subprocess.Popen(
            [nginx, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=open(self.workdir / "nginx.log", "w")
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError((self.workdir / "nginx.log").read_text())

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.workdir.glob("*.log"))
        )

    def stop(self) -> List[int]:
        codes = []
        if self.nginx and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)
            self.nginx.wait(15)
        for part in self.parts.values():
            if part.process.poll() is None:
                codes.append(part.stop())
        drop_database(self.database)
        asyncio.run(self._delete_broker_objects())
        return codes

    async def _delete_broker_objects(self) -> None:
        connection = await aio_pika.connect_robust(self.env["RABBITMQ_URL"])
        async with connection:
            channel = await connection.channel()
            await channel.queue_delete(self.queue)
            await channel.exchange_delete(self.exchange)
