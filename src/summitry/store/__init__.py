"""The shared workspace's store: plan records, their history, users and the audit log.

One table holds every plan record (a row per record, its body as JSON, its label in two
columns); the domain models stay the one definition of what a record may hold. SQLite is the
embedded default; PostgreSQL serves teams, with row-level security behind the application's
own filter. See docs/workspace.md.
"""
