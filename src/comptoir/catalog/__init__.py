"""Product referential (categories, properties, brands) and product integration."""
