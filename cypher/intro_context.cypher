// intro_context: what the introduction commands need to know about the database as a whole:
// the last ranking run (for the intermediaries' pc_score and the pc_group default) and whether
// anyone has an `organization` (the default groups).
// Returns one row: run_id, run_at (strings, null when `powerconnect rank` never ran),
//   has_organization (boolean). Parameters: none.
OPTIONAL MATCH (r:Run)
WITH r ORDER BY r.at DESC LIMIT 1
RETURN r.id AS run_id, toString(r.at) AS run_at,
       EXISTS { MATCH (p:Person) WHERE p.organization IS NOT NULL } AS has_organization
