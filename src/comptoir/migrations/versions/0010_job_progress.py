"""sandbox progress: each job names the object it moves forward, and each object keeps its policy

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import comptoir.db

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_subjects",
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=80), nullable=False),
        sa.Column("seller_id", sa.String(length=20), nullable=True),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("delay_seconds", sa.Float(), nullable=False),
        sa.Column("polls", sa.Integer(), nullable=False),
        sa.Column("polls_needed", sa.Integer(), nullable=False),
        sa.Column("result_code", sa.String(length=100), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("created_at", comptoir.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "subject_id"),
    )
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("subject_kind", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("subject_id", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("outcome", sa.String(length=16), nullable=True))
        batch.create_index("ix_jobs_subject", ["subject_kind", "subject_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_index("ix_jobs_subject")
        batch.drop_column("outcome")
        batch.drop_column("subject_id")
        batch.drop_column("subject_kind")
    op.drop_table("job_subjects")
