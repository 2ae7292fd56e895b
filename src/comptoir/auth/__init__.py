"""OAuth clients, their secrets and seller bindings, and the Keycloak-compatible token endpoint."""
