"""The rules of the system. Takes a session, a ``now`` and an actor; never imports Flask."""
