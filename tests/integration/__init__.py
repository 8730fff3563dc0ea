"""Tests against a real Neo4j (the session fixture in conftest.py starts or finds one)."""
