"""Pure analyses from plan values to result values: no files, no database, no printing."""
