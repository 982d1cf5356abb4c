"""Custom actions for the clinic assistant, served by the rasa-sdk action server.

Only what rasa-sdk serves lives here, in modules named for what they do:
booking, escalation, faq, safety (the crisis alert), and the conversation
helpers they share. The records they write are in ``records/``, the clinic's
facts in ``clinic/``. This package must stay free of Rasa (server) imports so
the action server starts fast.
"""
