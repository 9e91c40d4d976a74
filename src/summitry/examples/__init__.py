"""The bundled example: a briefing and the demo plan built from it."""
