"""Who may see what: one policy that every list, export, report and analysis goes through."""
