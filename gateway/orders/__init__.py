"""After intake: moving orders through their lifecycle, reading them, reporting on them.

Where each rule lives:

* the one way an order changes status (check, event, status report) —
  :mod:`gateway.orders.transitions`
  (which moves are allowed: :mod:`gateway.rules.lifecycle`)
* the ERP status feed — :mod:`gateway.orders.erp_feed`
* orders as plain dicts: listings and the JSON contract — :mod:`gateway.orders.queries`
* a partner's orders report and its daily digest — :mod:`gateway.orders.digest`
* reply deadlines: overdue orders, logged once — :mod:`gateway.orders.deadlines`
"""

from gateway.orders.transitions import (
    LineQuantityRefused,
    MoveReport,
    OrderNotFound,
    apply_transition,
    move_orders,
)

__all__ = ["LineQuantityRefused", "MoveReport", "OrderNotFound", "apply_transition", "move_orders"]
