// load_ties_existing: the KNOWS ties that already exist between given pairs of people, with
// their properties (ties are stored once, from the smaller id to the larger). When the pairs
// asked for make up a quarter or more of a person's ties, all of that person's ties are read
// (one expand is 4x cheaper than a lookup per pair); the caller ignores the ones it did not ask
// for. Returns one row: ties, a list with one [internal id of a, internal id of b, tie internal id,
// properties (map)] per tie (one row rather than one per tie: a million records cost the
// Python driver over a minute).
// Parameters: $rows, a list of [internal id of a, [internal ids of b, ...]].
UNWIND $rows AS row
MATCH (a:Person) WHERE id(a) = row[0]
CALL (a, row) {
  WITH a, row
  WHERE size(row[1]) * 4 >= COUNT { (a)-[:KNOWS]->() }
  MATCH (a)-[k:KNOWS]->(b:Person)
  RETURN id(b) AS b_id, k
  UNION ALL
  WITH a, row
  WHERE size(row[1]) * 4 < COUNT { (a)-[:KNOWS]->() }
  UNWIND row[1] AS b_id
  MATCH (b:Person) WHERE id(b) = b_id
  MATCH (a)-[k:KNOWS]->(b)
  RETURN b_id, k
}
RETURN collect([row[0], b_id, id(k), properties(k)]) AS ties
