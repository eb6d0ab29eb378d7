"""cli"""

from gateway.cli.app import app

__all__ = ["app"]
