"""who each service is for, in each language

Revision ID: 0006
Revises: 0005
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: Union[str, Sequence[str], None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("service_text", schema=None) as batch_op:
        batch_op.add_column(sa.Column("who_for", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("service_text", schema=None) as batch_op:
        batch_op.drop_column("who_for")
