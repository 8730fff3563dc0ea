// load_ties_update: change some properties of existing ties (a null value removes one).
// Each batch is committed in its own transaction.
// Returns nothing. Parameters: $batches, a list of batches, each a list of
// [tie internal id, properties (map)].
UNWIND $batches AS rows
CALL (rows) {
  UNWIND rows AS row
  MATCH (:Person)-[k:KNOWS]->(:Person) WHERE id(k) = row[0]
  SET k += row[1]
} IN TRANSACTIONS OF 1 ROW
