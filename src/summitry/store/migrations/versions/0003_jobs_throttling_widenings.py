"""Jobs, log-in throttling and label widenings (with row-level security for the labelled two).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

LABELLED = ("jobs", "widenings")
"""The new tables whose rows carry a label."""


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "login_attempts",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_attempts")),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("readers", sa.Text(), nullable=False),
        sa.Column("compartments", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(length=36), nullable=False),
        sa.Column("params", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("result_id", sa.String(length=36), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_jobs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index("ix_jobs_workspace", ["workspace_id"], unique=False)

    op.create_table(
        "widenings",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("readers", sa.Text(), nullable=False),
        sa.Column("compartments", sa.Text(), nullable=False),
        sa.Column("new_visibility", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("new_compartments", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("requested_by", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_widenings_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_widenings")),
    )
    with op.batch_alter_table("widenings", schema=None) as batch_op:
        batch_op.create_index("ix_widenings_workspace", ["workspace_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for table in LABELLED:
            op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO summitry_app")
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(
                f"CREATE POLICY {table}_by_label ON {table} TO summitry_app "
                "USING (summitry_may_read(readers, compartments)) "
                "WITH CHECK (summitry_may_read(readers, compartments))"
            )
        op.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON login_attempts TO summitry_app")
        # Signing in rehashes an old password hash; a user changes their own password; a
        # party's admin adds users of their party and changes their roles.
        op.execute("GRANT INSERT, UPDATE ON users, memberships TO summitry_app")


def downgrade() -> None:
    """Undo this revision."""
    if op.get_bind().dialect.name == "postgresql":
        for table in LABELLED:
            op.execute(f"DROP POLICY IF EXISTS {table}_by_label ON {table}")
    with op.batch_alter_table("widenings", schema=None) as batch_op:
        batch_op.drop_index("ix_widenings_workspace")

    op.drop_table("widenings")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_workspace")

    op.drop_table("jobs")
    op.drop_table("login_attempts")
