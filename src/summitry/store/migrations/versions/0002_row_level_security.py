"""PostgreSQL only: the application role and row-level security on labelled tables.

The role ``summitry_app`` may not bypass row-level security and owns nothing; each policy
admits a row only when the principal set for the transaction (``summitry.reader`` and
``summitry.clearances``, set with ``SET LOCAL``) may read the row's label. There is no keeper
branch: the keeper's reads and writes go through the owner's connection. On SQLite this
revision does nothing (there is one user of the file, the application filter is the rule).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LABELLED = ("records", "revisions", "audit", "results")
"""Tables whose rows carry a label (``readers``, ``compartments``)."""

MAY_READ = """
CREATE OR REPLACE FUNCTION summitry_may_read(readers text, compartments text)
RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('summitry.reader', true), '') NOT IN ('', 'all')
     AND (readers = 'joint'
          OR (current_setting('summitry.reader', true) <> 'joint'
              AND strpos(readers, ',' || current_setting('summitry.reader', true) || ',') > 0))
     AND string_to_array(trim(both ',' from compartments), ',')
         <@ string_to_array(coalesce(current_setting('summitry.clearances', true), ''), ',')
$$
"""

CREATE_ROLE = """
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'summitry_app') THEN
    CREATE ROLE summitry_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$
"""


def upgrade() -> None:
    """Create the role if it is missing, grant it what it needs, and turn the policies on."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(CREATE_ROLE)
    op.execute("GRANT USAGE ON SCHEMA public TO summitry_app")
    op.execute(MAY_READ)
    for table in LABELLED:
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO summitry_app")
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY {table}_by_label ON {table} TO summitry_app "
            "USING (summitry_may_read(readers, compartments)) "
            "WITH CHECK (summitry_may_read(readers, compartments))"
        )
    op.execute("GRANT SELECT, UPDATE ON workspaces TO summitry_app")
    op.execute("GRANT SELECT ON users, memberships TO summitry_app")
    op.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON sessions, tokens TO summitry_app")


def downgrade() -> None:
    """Turn the policies off and take the grants back (the role stays: it is cluster-wide)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in LABELLED:
        op.execute(f"DROP POLICY IF EXISTS {table}_by_label ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute(f"REVOKE ALL ON {table} FROM summitry_app")
    op.execute("REVOKE ALL ON workspaces, users, memberships, sessions, tokens FROM summitry_app")
    op.execute("DROP FUNCTION IF EXISTS summitry_may_read(text, text)")
