"""The Cypher queries, one per ``.cypher`` file; load them with :func:`engine.queries.load`."""
