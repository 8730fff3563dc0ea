// reset_nodes: deletes up to $batch nodes (any label; reset_relationships has deleted their
// relationships first, DETACH only catches one created meanwhile), for `powerconnect reset`,
// which runs it in one transaction at a time until it deletes none. The schema stays.
// Returns one row: deleted (how many). Parameters: $batch (int)
MATCH (n)
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted
