"""seller fidelity profile

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 18:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sellers') as batch:
        batch.add_column(sa.Column('fidelity_profile', sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sellers') as batch:
        batch.drop_column('fidelity_profile')
