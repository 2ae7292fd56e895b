"""Sales channels and how each one behaves (acceptance, shipping rules, delivery modes)."""
