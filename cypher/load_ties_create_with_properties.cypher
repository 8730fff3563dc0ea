// load_ties_create_with_properties: load_ties_create for ties with properties besides strength
// and source (from extra columns of a ties file, or derived loads); a SET per tie costs time,
// so load_ties_create leaves it out.
// People are matched by the internal ids the loader just read or created for them (no label
// check: it would read each node's labels for nothing). Each batch is committed in its own
// transaction. Returns one row per batch: created.
// Parameters: $source ('interactions' | 'linkedin', or null for explicit ties from a ties
// file, which carry no source); $batches, a list of batches,
// each a list of [internal id of a, [internal ids of b], [strengths], [properties (maps)]].
UNWIND $batches AS rows
CALL (rows) {
  UNWIND rows AS row
  MATCH (a) WHERE id(a) = row[0]
  UNWIND range(0, size(row[1]) - 1) AS i
  MATCH (b) WHERE id(b) = row[1][i]
  CREATE (a)-[k:KNOWS {strength: row[2][i], source: $source}]->(b)
  SET k += row[3][i]
  RETURN count(k) AS created
} IN TRANSACTIONS OF 1 ROW
RETURN created
