// load_ties_merge: add ties that were not found between people who were already there
// (MERGE, so that a tie created meanwhile is not doubled).
// Each batch is committed in its own transaction. Returns one row per batch: written.
// Parameters: $batches, a list of batches, each a list of [internal id of a, internal id of b,
// properties (map, with strength and source)].
UNWIND $batches AS rows
CALL (rows) {
  UNWIND rows AS row
  MATCH (a:Person) WHERE id(a) = row[0]
  MATCH (b:Person) WHERE id(b) = row[1]
  MERGE (a)-[k:KNOWS]->(b)
  ON CREATE SET k += row[2]
  RETURN count(k) AS written
} IN TRANSACTIONS OF 1 ROW
RETURN written
