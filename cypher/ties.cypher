// ties: every tie once (stored in one direction, read as undirected), with its strength, in
// chunks: one row per $chunk source people, as three aligned lists, and how many of the row's
// ties have a calibrated strength (P(close), derived from interactions or a LinkedIn export:
// source 'interactions' or 'linkedin').
// Returns: sources, targets (person ids), strengths (numbers in (0, 1]), calibrated (int).
// Parameters: $chunk (int, source people per row)
// Example in Browser: :param chunk => 1000
MATCH (a:Person)
WITH collect(a) AS people
UNWIND range(0, size(people) - 1, $chunk) AS i
CALL (people, i) {
  UNWIND people[i..i + $chunk] AS a
  MATCH (a)-[k:KNOWS]->(b:Person)
  RETURN collect(a.id) AS sources, collect(b.id) AS targets, collect(k.strength) AS strengths,
         count(CASE WHEN k.source IN ['interactions', 'linkedin'] THEN 1 END) AS calibrated
}
RETURN sources, targets, strengths, calibrated
