"""The ASGI app: JSON API, live channel, reader pages."""
