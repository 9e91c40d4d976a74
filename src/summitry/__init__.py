"""summitry: a workbench for preparing a high-level summit."""
