"""Channels: where partner files come from and where replies go. Transport only.

A channel never parses and never touches the database: it says which files are complete
(ready), hands them over claimed, and delivers reply files. The contract every channel
keeps, folder or SFTP:

* a file is handed over only once it is complete (renamed in, closed and settled, or its
  done-marker present), and claimed so that no second worker takes it;
* a claimed file survives the process: after a crash it is found again and finished;
* a reply is delivered under a temporary name, then renamed, and never twice.

Where each rule lives:

* a folder inbox: readiness, the claim, recovery of abandoned claims —
  :mod:`gateway.channels.folder.inbox` (inotify, read directly:
  :mod:`gateway.channels.folder.inotify`)
* an SFTP account: poll, download, remote archive, upload — :mod:`gateway.channels.sftp.channel`
  (readiness of remote files: :mod:`gateway.channels.sftp.readiness`; pinned host keys
  and the session: :mod:`gateway.channels.sftp.connection`; ``sftp test``:
  :mod:`gateway.channels.sftp.probe`; its errors: :mod:`gateway.channels.sftp.errors`)
"""
