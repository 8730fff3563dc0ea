// ties: every tie once (stored in one direction, read as undirected), with its strength.
// Returns: source, target (person ids), strength (a number in (0, 1]).
// Parameters: none.
MATCH (a:Person)-[k:KNOWS]->(b:Person)
RETURN a.id AS source, b.id AS target, k.strength AS strength
