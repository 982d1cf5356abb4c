"""A channel is switched on only when every secret it names is set (serve/run.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from channels.facebook import SignedFacebookInput
from channels.telegram import SecretTokenTelegramInput
from channels.twilio import TwilioSignedInput
from serve.run import ROOT, runtime_config

CREDENTIALS = ROOT / "credentials.yml"
REST = "channels.rest.CheckedRestInput"
SOCKETIO = "channels.socketio.SocketIOInput"
TWILIO = "channels.twilio.TwilioSignedInput"
FACEBOOK = "channels.facebook.SignedFacebookInput"
TELEGRAM = "channels.telegram.SecretTokenTelegramInput"
TWILIO_ENV = {"TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": "auth-token-value", "TWILIO_NUMBER": "+12035550100"}


def test_with_no_secrets_only_the_web_channels_are_on(tmp_path: Path) -> None:
    target = tmp_path / "credentials.yml"
    assert runtime_config(CREDENTIALS, {}, target) == [REST, SOCKETIO]
    assert set(yaml.safe_load(target.read_text())) == {REST, SOCKETIO}


def test_a_channel_with_all_its_secrets_is_on_and_its_secrets_stay_placeholders(tmp_path: Path) -> None:
    target = tmp_path / "credentials.yml"
    assert runtime_config(CREDENTIALS, TWILIO_ENV, target) == [REST, SOCKETIO, TWILIO]
    written = target.read_text()
    assert yaml.safe_load(written)[TWILIO]["auth_token"] == "${TWILIO_AUTH_TOKEN}"
    assert "auth-token-value" not in written


def test_a_missing_or_empty_secret_keeps_the_channel_off(tmp_path: Path) -> None:
    target = tmp_path / "credentials.yml"
    assert TWILIO not in runtime_config(CREDENTIALS, {**TWILIO_ENV, "TWILIO_AUTH_TOKEN": ""}, target)
    partial = {"FACEBOOK_APP_SECRET": "s", "FACEBOOK_PAGE_ACCESS_TOKEN": "t"}  # no verify token
    assert FACEBOOK not in runtime_config(CREDENTIALS, partial, target)
    assert TELEGRAM in runtime_config(CREDENTIALS, {"TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_SECRET_TOKEN": "y"}, target)


@pytest.mark.parametrize("channel", [TwilioSignedInput, SignedFacebookInput, SecretTokenTelegramInput])
def test_a_channel_refuses_to_start_with_an_empty_secret(channel: Any) -> None:
    """An empty key would accept requests anyone can sign."""
    empty = {
        "account_sid": "AC1",
        "auth_token": "",
        "twilio_number": "+12035550100",
        "verify": "v",
        "secret": " ",
        "page-access-token": "t",
        "access_token": "1:x",
        "secret_token": "",
    }
    with pytest.raises(ValueError, match="lack"):
        channel.from_credentials(empty)
