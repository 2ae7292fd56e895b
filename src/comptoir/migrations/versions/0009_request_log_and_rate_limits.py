"""sandbox request log and rate-limit counts

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import comptoir.db


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sandbox_requests',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', comptoir.db.UTCDateTime(), nullable=False),
    sa.Column('wall_at', comptoir.db.UTCDateTime(), nullable=False),
    sa.Column('seller_id', sa.String(length=50), nullable=True),
    sa.Column('client_id', sa.String(length=100), nullable=True),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('path', sa.String(length=2000), nullable=False),
    sa.Column('query', sa.Text(), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('duration_ms', sa.Float(), nullable=False),
    sa.Column('trace_id', sa.String(length=64), nullable=False),
    sa.Column('request', sa.Text(), nullable=False),
    sa.Column('response', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sandbox_requests'))
    )
    with op.batch_alter_table('sandbox_requests', schema=None) as batch_op:
        batch_op.create_index('ix_sandbox_requests_at', ['at'], unique=False)
        batch_op.create_index('ix_sandbox_requests_seller', ['seller_id', 'id'], unique=False)
        batch_op.create_index('ix_sandbox_requests_trace', ['trace_id'], unique=False)

    op.create_table('rate_limit_counts',
    sa.Column('limit_name', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=100), nullable=False),
    sa.Column('bucket', sa.BigInteger(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('limit_name', 'subject', 'bucket', name=op.f('pk_rate_limit_counts'))
    )


def downgrade() -> None:
    op.drop_table('rate_limit_counts')
    with op.batch_alter_table('sandbox_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_sandbox_requests_trace')
        batch_op.drop_index('ix_sandbox_requests_seller')
        batch_op.drop_index('ix_sandbox_requests_at')

    op.drop_table('sandbox_requests')
