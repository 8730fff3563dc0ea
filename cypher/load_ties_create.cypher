// load_ties_create: add ties known to be new (one of their people was created by this load,
// or the database had no tie at all), grouped by their first person to save lookups, with
// strength (and source, for derived ties) as their only properties; ties with more use
// load_ties_create_with_properties.
// People are matched by the internal ids the loader just read or created for them (no label
// check: it would read each node's labels for nothing). Each batch is committed in its own
// transaction. Returns one row per batch: created.
// Parameters: $source ('interactions' | 'linkedin', or null for explicit ties from a ties
// file, which carry no source); $batches, a list of batches, each a list of
// [internal id of a, [internal ids of b], [strengths]].
UNWIND $batches AS rows
CALL (rows) {
  UNWIND rows AS row
  MATCH (a) WHERE id(a) = row[0]
  UNWIND range(0, size(row[1]) - 1) AS i
  MATCH (b) WHERE id(b) = row[1][i]
  CREATE (a)-[k:KNOWS {strength: row[2][i], source: $source}]->(b)
  RETURN count(k) AS created
} IN TRANSACTIONS OF 1 ROW
RETURN created
