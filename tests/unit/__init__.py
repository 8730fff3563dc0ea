"""Tests that need no database: the maths, the parsing, the CLI's own behaviour (seconds)."""
