// load_ties_any: whether the database holds any KNOWS tie yet (answered from the count store).
// Returns one row: any (boolean). Parameters: none.
MATCH (:Person)-[k:KNOWS]->(:Person)
RETURN count(k) > 0 AS any
