"""Sales channels and their configuration (acceptance, shipping, gestures, delivery modes).

What other features may use: the names below. The tables are lent for reading and joining only;
channels are written through `create_channel` and the operator routes.
"""

from comptoir.channels.models import ChannelDeliveryMode, SalesChannel
from comptoir.channels.schemas import ChannelIn, DeliveryModeIn
from comptoir.channels.service import create_channel, get_channel

__all__ = [
    "ChannelDeliveryMode",
    "ChannelIn",
    "DeliveryModeIn",
    "SalesChannel",
    "create_channel",
    "get_channel",
]
