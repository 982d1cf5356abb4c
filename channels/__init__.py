"""Messaging channels: SMS and WhatsApp (Twilio), Facebook Messenger and Telegram.

Rasa loads each from credentials.yml by ``channels.<module>.<Class>``. They
build on Rasa's own connectors and add what those lack: every inbound request
is verified against the provider's signature or secret (forgeries get 403),
each provider's API address comes from the environment (so tests can point it
at a stand-in), buttons work on text-only channels, and WhatsApp is told apart
from SMS so the clinic profile can treat them differently.
"""
