"""A local folder as a partner's inbox: readiness, the claim, recovery; inotify hints."""

from gateway.channels.folder.inbox import InboxTracker, Readiness, claim_held, hold

__all__ = ["InboxTracker", "Readiness", "claim_held", "hold"]
