"""Money: exact decimals with two places and one rounding rule, in code and in the database alike.

Half up, as French invoicing and card schemes round amounts (and as customers expect: 0.125 is
0.13). Every amount is rounded before it is validated, so what is checked is what is stored.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def money(value: Decimal | float | int | str) -> Decimal:
    """`value` rounded half up to the cent; floats go through their shortest text, never binary."""
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money_or_none(value: Decimal | float | int | str) -> Decimal | None:
    """`money(value)`, or None when it is no finite amount that fits a quantize (NaN, 1e30...)."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
        if not amount.is_finite():
            return None
        return money(amount)
    except InvalidOperation:
        return None
