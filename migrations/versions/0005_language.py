"""The language of the conversation an appointment request or an escalation came from.

Staff call a Spanish speaker back in Spanish. A database whose tables ``create_all`` made from the
current models has the columns already, so each is added only where missing; older records keep
NULL, which staff screens show as English (the only language before).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: Union[str, None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("appointment_requests", "escalations")


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for name in TABLES:
        if "language" in {column["name"] for column in inspector.get_columns(name)}:
            continue
        with op.batch_alter_table(name) as table:
            table.add_column(sa.Column("language", sa.String(8), nullable=True))


def downgrade() -> None:
    for name in TABLES:
        with op.batch_alter_table(name) as table:
            table.drop_column("language")
