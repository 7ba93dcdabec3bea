"""catalogue editing: service versions, last checked, retired services, translation sources

Revision ID: 0005
Revises: 0004
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: Union[str, Sequence[str], None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('service_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('service_id', 'number')
    )
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_checked', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('retired', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))

    with op.batch_alter_table('service_text', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_hashes', sa.JSON(), nullable=False,
                                      server_default='{}'))



def downgrade() -> None:
    with op.batch_alter_table('service_text', schema=None) as batch_op:
        batch_op.drop_column('source_hashes')

    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_column('retired')
        batch_op.drop_column('last_checked')

    op.drop_table('service_version')
