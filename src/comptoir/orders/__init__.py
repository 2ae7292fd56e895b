"""Orders: customers buy on channels, sellers approve, ship and cancel (spec section 12)."""
