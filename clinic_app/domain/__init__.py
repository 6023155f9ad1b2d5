"""Pure clinical logic and reference data: no Qt, no database."""
