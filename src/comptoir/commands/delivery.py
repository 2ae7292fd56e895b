"""Which delivery modes an offer keeps on an additional platform: only modes the platform declares.

A mode the platform declares under the same code is kept as it is. Any other is mapped to the
platform's mode of the same kind (express or not, for parcels over 30 kg or not) with the nearest
delivery delay, so that THD (home delivery, 3 days) on SELLZZ becomes STD on ALLEGRO_DE; a mode of a
kind the platform lacks is dropped. Two modes landing on one keep the cheaper cost.

Pure: the channels' modes are read by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from comptoir.offers import DeliveryMode


@dataclass(frozen=True, slots=True)
class ModeKind:
    """What a channel declares of one of its delivery modes, as far as mapping goes."""

    code: str
    delivery_delay: int
    is_express: bool
    over_30_kg: bool


def _target(code: str, source: ModeKind | None, platform: Mapping[str, ModeKind]) -> str | None:
    if code in platform:
        return code
    if source is None:
        # A code its own channel does not declare says nothing of its kind: it maps to nothing.
        return None
    same_kind = [
        m for m in platform.values() if (m.is_express, m.over_30_kg) == (source.is_express, source.over_30_kg)
    ]
    nearest = min(
        same_kind,
        key=lambda m: (abs(m.delivery_delay - source.delivery_delay), m.delivery_delay, m.code),
        default=None,
    )
    return None if nearest is None else nearest.code


def platform_modes(
    modes: Sequence[DeliveryMode], source: Mapping[str, ModeKind], platform: Iterable[ModeKind]
) -> list[DeliveryMode]:
    """The offer's modes as the platform declares them, in the order the offer lists them; empty when
    none maps. `source` holds the modes of the offer's own channel, by code."""
    declared = {m.code: m for m in platform}
    kept: dict[str, DeliveryMode] = {}
    for mode in modes:
        code = _target(mode.code, source.get(mode.code), declared)
        if code is None:
            continue
        mapped = DeliveryMode(code, mode.cost, mode.additional_cost)
        current = kept.get(code)
        if current is None or (mapped.cost, mapped.additional_cost) < (current.cost, current.additional_cost):
            kept[code] = mapped
    return list(kept.values())
