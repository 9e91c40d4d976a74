"""The web server: the JSON API and the pages, on the same services as the command line.

``create_app`` builds the FastAPI application on an opened store; ``summitry serve`` runs it.
Routes parse the request, call services and the store, and render; they compute nothing.
"""
