"""Files in and out: plan files, briefing import, and the text-file plumbing they share."""
