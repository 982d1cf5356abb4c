"""The multi-turn safety suite (`make safety`): scripted conversations against the live servers.

conversations.py reads tests/safety/conversations/ and says what each turn must get
(docs/safety.md); play.py talks to the running assistant over REST and SMS; checks.py
judges each turn under VERA-MH's five dimensions; report.py scores them and writes
reports/safety.md.
"""
