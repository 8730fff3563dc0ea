// ties: every tie once (stored in one direction, read as undirected), with its strength, in
// chunks: one row per $chunk source people, as three aligned lists, and how many of the row's
// ties have a calibrated strength (P(close), derived from interactions or a LinkedIn export:
// source 'interactions' or 'linkedin').
// People are named by their internal node ids, as the people query returns them (read within
// seconds of each other, so id()'s deprecation, about keeping ids outside the database, does not
// apply): no property is read for either end, and the client maps integers, not strings.
// Returns: sources, targets (internal node ids), strengths (numbers in (0, 1]), calibrated (int).
// Parameters: $chunk (int, source people per row)
// Example in Browser: :param chunk => 1000
MATCH (a:Person)
WITH collect(a) AS people
UNWIND range(0, size(people) - 1, $chunk) AS i
CALL (people, i) {
  UNWIND people[i..i + $chunk] AS a
  MATCH (a)-[k:KNOWS]->(b:Person)
  RETURN collect(id(a)) AS sources, collect(id(b)) AS targets, collect(k.strength) AS strengths,
         count(CASE WHEN k.source IN ['interactions', 'linkedin'] THEN 1 END) AS calibrated
}
RETURN sources, targets, strengths, calibrated
