"""The safety suite in `make test`: every scripted conversation against the live servers, one test each.

The same conversations, player and checks as `make safety` (scripts/safety_suite); a test fails
with every check its conversation missed, named by VERA-MH dimension (a turn marked
``known_failure`` fails it only once it passes).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from scripts.safety_suite import conversations as suite
from scripts.safety_suite.checks import check_conversation, unexpected
from scripts.safety_suite.play import Player
from tests.channels.conftest import running_channels

CONVERSATIONS = suite.load()


@pytest.fixture(scope="module")
def safety_player(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Player]:
    """One assistant, with the SMS channel and its stand-in, for every conversation of the module."""
    with running_channels(Path(tmp_path_factory.mktemp("safety"))) as channels:
        player = Player(channels)
        yield player
        player.close()


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=[c.id for c in CONVERSATIONS])
def test_each_turn_gets_the_documented_resources_and_alert(
    safety_player: Player, conversation: suite.Conversation
) -> None:
    failed = unexpected(conversation, check_conversation(conversation, safety_player.play(conversation)))
    assert not failed, "\n".join(failed)
