"""order-gateway: a supplier's order-intake gateway."""

__version__ = "0.1.0"
