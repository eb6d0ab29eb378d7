"""The web console: pages for the supplier's people and for partners, and an HTTP inbox
for partners' machines. Thin like the CLI: every action calls the service the command
line calls (:mod:`gateway.admin`, :mod:`gateway.orders`, :mod:`gateway.replies`,
:mod:`gateway.catalog`), never a second implementation.

Where each rule lives:

* the application, its sessions, headers and error pages — :mod:`gateway.web.app`
* who is signed in, permissions, CSRF, rendering — :mod:`gateway.web.context`
* roles and what each may do — :mod:`gateway.web.roles`
* users, passwords (argon2), sessions — :mod:`gateway.web.accounts`
* wrong passwords slowing attempts down — :mod:`gateway.web.throttle`
* partners' API tokens — :mod:`gateway.web.tokens`
* the key signing session cookies — :mod:`gateway.web.secret`
* the console's words, fr and en — :mod:`gateway.web.i18n`
* an upload streamed under a size limit — :mod:`gateway.web.uploads`
* an upload entering the intake — :mod:`gateway.web.inbox`
* a partner's data as the partner sees it — :mod:`gateway.web.partner_view`
* pages: sign-in — :mod:`gateway.web.login`; dashboard — :mod:`gateway.web.dashboard`;
  orders and their actions — :mod:`gateway.web.orders`; rejections and their fixes —
  :mod:`gateway.web.rejections`; files — :mod:`gateway.web.files`; outgoing messages —
  :mod:`gateway.web.messages`; cross-references and partners —
  :mod:`gateway.web.reference`; users and the actions' history —
  :mod:`gateway.web.people`; the partners' portal — :mod:`gateway.web.portal`
* the HTTP inbox, ``/api/v1`` — :mod:`gateway.web.api`
"""

import lazy_loader

# What the stub beside this file (__init__.pyi) imports, loaded on first use: importing
# one module of the package does not import all the others (start-up of the command line)
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
