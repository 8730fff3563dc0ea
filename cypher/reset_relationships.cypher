// reset_relationships: deletes up to $batch relationships (any type), for `powerconnect reset`,
// which runs it in one transaction at a time until it deletes none.
// Returns one row: deleted (how many). Parameters: $batch (int)
MATCH ()-[k]->()
WITH k LIMIT $batch
DELETE k
RETURN count(*) AS deleted
