"""channels/folder"""
