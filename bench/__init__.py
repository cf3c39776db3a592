"""The API benchmark: a synthetic corpus in PostgreSQL and the measurements (see README.md)."""
