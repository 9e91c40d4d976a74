"""The use cases: one typed function each, shared by the command line and (later) the web.

Each takes a principal and a plan source, reads the principal's view through the one door
(:mod:`summitry.access.views`), runs the analyses on it and returns labelled results and the
view models every renderer shows. Services never print, and their errors say what is wrong,
not which option to pass. Each module is cheap to import: engines load when a service runs.
"""
