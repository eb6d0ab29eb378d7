from .transitions import (
    LineQuantityRefused,
    MoveReport,
    OrderNotFound,
    apply_transition,
    move_orders,
)

__all__ = ["LineQuantityRefused", "MoveReport", "OrderNotFound", "apply_transition", "move_orders"]
