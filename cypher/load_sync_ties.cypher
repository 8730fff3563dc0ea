// load_sync_ties: the explicit ties (strength given in a ties file: no source, or 'csv' from
// earlier versions), for `powerconnect load --sync` to find those a ties file no longer lists;
// one row per chunk of $chunk first people (a million records one by one would
// cost the driver a minute).
// Returns: ties, a list with one [internal id, id of a, id of b, strength_interactions,
// strength_linkedin] per tie (the derived strengths it also has, or null; one list per tie
// because collect() would drop the nulls of separate columns).
// Parameters: $chunk (int, first people per row)
MATCH (a:Person)
WITH collect(a) AS people
UNWIND range(0, size(people) - 1, $chunk) AS i
CALL (people, i) {
  UNWIND people[i..i + $chunk] AS a
  MATCH (a)-[k:KNOWS]->(b:Person)
  WHERE k.source IS NULL OR k.source = 'csv'
  RETURN collect([id(k), a.id, b.id, k.strength_interactions, k.strength_linkedin]) AS ties
}
RETURN ties
