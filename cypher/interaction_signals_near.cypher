// interaction_signals_near: The ties that carry interaction signals (written by load-mail and load-calendar, see loaders/frames.py) and touch the given people or anyone tied to them: all a load needs to re-derive the strengths it changes.
// Returns: a, b (the tie's people, a < b as stored), properties (map of the tie's properties)
// Parameters: $ids (list of person ids)
// Example in Browser: :param ids => ['ann@example.org']
UNWIND $ids AS id
MATCH (p:Person {id: id})
OPTIONAL MATCH (p)-[:KNOWS]-(n:Person)
WITH collect(DISTINCT p) + collect(DISTINCT n) AS near
UNWIND near AS x
WITH DISTINCT x
MATCH (x)-[k:KNOWS]-(:Person)
WHERE k.signal_loads IS NOT NULL
WITH DISTINCT k
RETURN startNode(k).id AS a, endNode(k).id AS b, properties(k) AS properties
