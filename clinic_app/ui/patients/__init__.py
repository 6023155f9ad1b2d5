"""Finding, registering and summarising patients."""
