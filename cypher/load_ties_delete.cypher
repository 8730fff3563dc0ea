// load_ties_delete: deletes ties (`powerconnect load --sync`: explicit ties a ties file no
// longer lists and that have no derived strength to fall back on).
// Each batch is committed in its own transaction. Returns nothing.
// Parameters: $batches, a list of batches, each a list of tie internal ids.
UNWIND $batches AS rows
CALL (rows) {
  UNWIND rows AS tie
  MATCH (:Person)-[k:KNOWS]->(:Person) WHERE id(k) = tie
  DELETE k
} IN TRANSACTIONS OF 1 ROW
