"""Custom actions for the clinic assistant, served by the rasa-sdk action server.

Modules are named for what they do: booking, escalation, safety, storage,
outbox, clinic_profile. This package must stay free of Rasa (server) imports so
the action server starts fast.
"""
