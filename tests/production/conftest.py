"""One production-profile cluster for this folder: two Rasa instances behind nginx on real services.

PostgreSQL, Redis and RabbitMQ run on loopback (see scripts/cluster.py for
the settings). Redis is reached through a proxy the fault tests can cut.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import requests
from sqlalchemy import create_engine, text

from scripts.cluster import REDIS_URL, Cluster
from serve.rasa_api import api_headers
from tests.chat import say
from tests.proxy import CuttableProxy


class Chat:
    """Talks to the cluster over REST and reads what it stored, as staff tools would."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.engine = create_engine(cluster.database_url, future=True, pool_pre_ping=True)
        self.http = requests.Session()

    def say(self, sender: str, message: str, via: str = "") -> List[Dict[str, Any]]:
        return say(via or self.cluster.url, sender, message, http=self.http)

    def rows(self, sql: str, **params: Any) -> List[Any]:
        with self.engine.connect() as connection:
            return list(connection.execute(text(sql), params))

    def events(self, sender: str) -> List[Dict[str, Any]]:
        """The conversation's stored events, in the order they were written."""
        return [
            json.loads(row.data)
            for row in self.rows("select data from events where sender_id = :s order by id", s=sender)
        ]

    def tracker(self, sender: str) -> Dict[str, Any]:
        response = self.http.get(
            f"{self.cluster.url}/conversations/{sender}/tracker", headers=api_headers(self.cluster.token), timeout=30
        )
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="package")
def redis_proxy() -> Iterator[CuttableProxy]:
    port = int(REDIS_URL.rsplit(":", 1)[1].split("/")[0])
    proxy = CuttableProxy(port)
    yield proxy
    proxy.close()


@pytest.fixture(scope="package")
def cluster(tmp_path_factory: pytest.TempPathFactory, redis_proxy: CuttableProxy) -> Iterator[Cluster]:
    workdir: Path = tmp_path_factory.mktemp("cluster")
    servers = Cluster(workdir, instances=2, env={"REDIS_URL": f"redis://127.0.0.1:{redis_proxy.port}/0"})
    try:
        servers.start()
        yield servers
    except Exception:
        print(servers.logs())
        raise
    finally:
        servers.stop()


@pytest.fixture(scope="package")
def chat(cluster: Cluster) -> Iterator[Chat]:
    client = Chat(cluster)
    yield client
    client.engine.dispose()
