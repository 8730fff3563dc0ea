// load_ties_existing: the KNOWS ties that already exist between given pairs of people, with
// their properties (ties are stored once, from the smaller id to the larger). When the pairs
// asked for make up a quarter or more of a person's ties, all of that person's ties are read
// (one expand is 4x cheaper than a lookup per pair); the caller ignores the ones it did not ask
// for. Returns one row of four aligned lists, one entry per tie: a and b (internal ids of its
// people), tie (its internal id) and value: the strength alone when that is the tie's only
// property (a million such ties arrive as numbers, not maps: 2-3 s less for the Python
// driver), else its properties (map). One row rather than one per tie: a million records
// cost the Python driver over a minute.
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
// never null, so that collect() keeps the four lists aligned
WITH row[0] AS a_id, b_id, k,
     CASE WHEN keys(k) = ['strength'] THEN k.strength ELSE properties(k) END AS value
RETURN collect(a_id) AS a, collect(b_id) AS b, collect(id(k)) AS tie, collect(value) AS value
