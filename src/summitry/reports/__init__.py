"""Presentation of already-authorised results: charts now, situation reports later."""
