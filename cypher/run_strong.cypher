// run_strong: the strong-tie threshold the last ranking run used (stored as :Run.strong).
// Returns one row: strong (number, null when `powerconnect rank` never ran or stored none).
// Parameters: none.
OPTIONAL MATCH (r:Run)
WITH r ORDER BY r.at DESC LIMIT 1
RETURN r.strong AS strong
