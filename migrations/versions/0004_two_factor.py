"""Two-factor sign-in: TOTP secrets and recovery codes, and which sessions have given the second factor.

A database whose tables ``create_all`` made from the current models has them already, so each
column and the table are added only where missing. Sessions from before are not verified: their
holders give a code (or enrol) at their next request.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from typing import Dict, Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: Union[str, None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _columns() -> Dict[str, Sequence[sa.Column]]:
    """New Column objects each time: one that a table has taken cannot be added again (downgrade, upgrade)."""
    return {
        "staff_users": (
            sa.Column("totp_secret", sa.String(64)),
            sa.Column("totp_last_step", sa.Integer(), nullable=False, server_default="0"),
            sa.Column("must_change_password", sa.Integer(), nullable=False, server_default="0"),
        ),
        "staff_sessions": (
            sa.Column("verified", sa.Integer(), nullable=False, server_default="0"),
            sa.Column("totp_pending", sa.String(64)),
            sa.Column("ip", sa.String(64)),
            sa.Column("last_seen_at", sa.DateTime()),
        ),
    }


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for table_name, columns in _columns().items():
        present = {column["name"] for column in inspector.get_columns(table_name)}
        missing = [column for column in columns if column.name not in present]
        if missing:
            with op.batch_alter_table(table_name) as table:
                for column in missing:
                    table.add_column(column)
    if not inspector.has_table("staff_recovery_codes"):
        op.create_table(
            "staff_recovery_codes",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("user_id", sa.Integer(), nullable=False),
            sa.Column("code_hash", sa.String(128), nullable=False),
        )
        op.create_index("ix_staff_recovery_codes_user_id", "staff_recovery_codes", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_staff_recovery_codes_user_id", table_name="staff_recovery_codes")
    op.drop_table("staff_recovery_codes")
    for table_name, columns in _columns().items():
        with op.batch_alter_table(table_name) as table:
            for column in reversed(columns):
                table.drop_column(column.name)
