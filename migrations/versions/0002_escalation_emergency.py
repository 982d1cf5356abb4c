"""The kind of emergency of a crisis escalation (medical emergency, overdose, ...), for staff.

A database whose tables ``create_all`` made from the current models has the column already, so
it is added only where it is missing.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    present = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("escalations")}
    if "emergency" in present:
        return
    with op.batch_alter_table("escalations") as table:
        table.add_column(sa.Column("emergency", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("escalations") as table:
        table.drop_column("emergency")
