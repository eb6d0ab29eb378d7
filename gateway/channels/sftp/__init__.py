"""channels/sftp"""
