"""mixmerge's HTTP service: the FastAPI application behind ``mixmerge serve`` and its live dashboard."""

from .app import create_app

__all__ = ["create_app"]
