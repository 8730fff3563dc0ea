// load_people_any: whether the database holds any Person yet (answered from the count store).
// Returns one row: any (boolean). Parameters: none.
MATCH (p:Person)
RETURN count(p) > 0 AS any
