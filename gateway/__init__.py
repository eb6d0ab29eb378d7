"""order-gateway: a supplier's order-intake gateway.

One package per layer; a module imports from its own package or from those below it
(``tests/test_layers.py`` holds the code to this picture)::

    cli, demo, web     the command line; the web console and HTTP inbox
    daemon             passes over every inbox, the long-running service
    admin              the admin's loop: replay, files, rejections, cross-references
    orders             after intake: transitions, ERP feed, listings, reports
    intake             one claimed file: read → evaluate → admit → record → reply → archive
    replies            the outbox, file names, acknowledgements and responses
    edi                EDI admission, partners' acknowledgments, control numbers
    catalog            catalog and parties in the database
    rules              plain rules over plain data
    config, store, workspace, logs, channels
    errors             the one error family
    ─────────────────
    parsers            format codecs (no gateway import)
"""

__version__ = "0.1.0"
