"""Who acknowledged an urgent escalation, and when: the on-call page stops at the first "I have it".

A database whose tables ``create_all`` made from the current models has the columns already, so
each is added only where it is missing.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: Union[str, None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

def _columns() -> Sequence[sa.Column]:
    """New Column objects each time: one that a table has taken cannot be added again (downgrade, upgrade)."""
    return (sa.Column("acknowledged_by", sa.String(64), nullable=True), sa.Column("acknowledged_at", sa.DateTime()))


def upgrade() -> None:
    present = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("escalations")}
    missing = [column for column in _columns() if column.name not in present]
    if not missing:
        return
    with op.batch_alter_table("escalations") as table:
        for column in missing:
            table.add_column(column)


def downgrade() -> None:
    with op.batch_alter_table("escalations") as table:
        for column in reversed(_columns()):
            table.drop_column(column.name)
