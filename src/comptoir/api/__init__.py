"""The HTTP layer: app factory, middleware, the problem+json handler and wire helpers."""
