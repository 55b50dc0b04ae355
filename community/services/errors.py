"""The error every community service raises for a write refused for a reason the person can act on."""


class CommunityError(Exception):
    """A write refused for a reason the person can act on; the message is translated."""
