"""The outbox worker process: staff notifications and recovery, apart from the action server."""
