"""A partner's SFTP account: poll, download, archive remotely, upload replies."""

from gateway.channels.sftp.channel import SftpChannel
from gateway.channels.sftp.errors import SftpError
from gateway.channels.sftp.probe import probe_server

__all__ = ["SftpChannel", "SftpError", "probe_server"]
