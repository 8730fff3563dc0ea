"""Saved queries and the style file for Neo4j Browser."""
