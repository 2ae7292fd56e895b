"""Small shared state of the platform: key/value settings kept in the database."""
