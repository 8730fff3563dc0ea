// load_database_state: whether the database holds any Person and any KNOWS tie yet (both
// answered from the count store), so that a load into an empty database skips its lookups.
// One query rather than two: on a server just started each new query costs a second to plan.
// Returns one row: people (boolean), ties (boolean). Parameters: none.
CALL () { MATCH (p:Person) RETURN count(p) > 0 AS people }
CALL () { MATCH (:Person)-[k:KNOWS]->(:Person) RETURN count(k) > 0 AS ties }
RETURN people, ties
