"""Channels: where partner files come from and where replies go (folders, SFTP)."""
