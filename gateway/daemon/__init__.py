"""Operations: passes over every inbox, the long-running service, and its status.

Where each rule lives:

* one pass over every partner (recovery, folders, SFTP, ERP feed); one external file —
  :mod:`gateway.daemon.passes`
* the long-running service: scans, inotify, timers, clean stop on SIGTERM —
  :mod:`gateway.daemon.service`
* SFTP partners polled on their own threads — :mod:`gateway.daemon.sftp_partners`
* ``status``: what is waiting, in hand, done and failed — :mod:`gateway.daemon.status`
* cluster mode: the jobs every worker runs and the cluster-wide housekeeping —
  :mod:`gateway.daemon.jobs`; the ``poll`` and ``dispatch`` job bodies —
  :mod:`gateway.daemon.pollers`; ``order-gateway worker`` — :mod:`gateway.daemon.worker`
"""
