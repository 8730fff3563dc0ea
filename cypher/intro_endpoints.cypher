// intro_endpoints: what `introduce` needs to know about the two ends of a path before searching:
// whether each exists, its name, whether it is private, how many ties it has and its strongest,
// and the direct tie between the two, if any.
// Returns one row per id of [$from, $to] (the null $to of --to-group is skipped): id, found,
//   name, private (property `private` true/yes/1), ties (count), strongest (number or null),
//   direct (strength of the $from-$to tie, or null).
// Parameters: $from (person id), $to (person id or null)
// Example in Browser: :param from => 'a1'; :param to => 'g1'
UNWIND [id IN [$from, $to] WHERE id IS NOT NULL] AS id
OPTIONAL MATCH (p:Person {id: id})
CALL (p) {
  OPTIONAL MATCH (p)-[k:KNOWS]-(:Person)
  RETURN count(k) AS ties, max(k.strength) AS strongest
}
CALL (p, id) {
  OPTIONAL MATCH (p)-[d:KNOWS]-(:Person {id: CASE WHEN id = $from THEN $to ELSE $from END})
  RETURN max(d.strength) AS direct
}
RETURN id, p IS NOT NULL AS found, p.name AS name,
       coalesce(toLower(toString(p.private)) IN ['true', 'yes', 'y', '1'], false) AS private,
       ties, strongest, direct
