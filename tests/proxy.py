"""A TCP proxy on loopback that a test can cut and restore: a network outage on demand."""

from __future__ import annotations

import socket
import threading
from typing import List

from serve.run import free_port


class CuttableProxy:
    """A TCP proxy to a local port, whose cable a test can pull and plug back."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.connections: List[socket.socket] = []
        self.cut = False
        # One listener for the proxy's whole life: closing and re-binding it
        # could lose the port to another program's outgoing connection.
        self.listener = socket.create_server(("127.0.0.1", free_port()))
        self.port = self.listener.getsockname()[1]
        self.listener.settimeout(0.2)
        threading.Thread(target=self._accept, daemon=True).start()

    def plug_in(self) -> None:
        self.cut = False

    def pull_the_cable(self) -> None:
        """Cut new connections at once and drop every open one, as a network outage would."""
        self.cut = True
        for connection in self.connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            connection.close()
        self.connections.clear()

    def close(self) -> None:
        self.pull_the_cable()
        self.listener.close()

    def _accept(self) -> None:
        while self.listener.fileno() != -1:
            try:
                client, _ = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            if self.cut:
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.connections += [client, upstream]
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
