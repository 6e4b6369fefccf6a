"""gunicorn settings of the benches: with `--preload`, import the URL configuration (and all it
pulls in: the API, the dial-a-ride solver, OR-Tools, pandas) once in the master process
before the workers fork, so no worker spends its first request importing it."""


def on_starting(server):
    from django.urls import get_resolver

    server.log.info("%d URL patterns loaded", len(get_resolver().url_patterns))
