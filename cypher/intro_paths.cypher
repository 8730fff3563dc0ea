// intro_paths: the warmest paths from one person to another: the direct tie (1 hop), one
// intermediary (2 hops) and two intermediaries (3 hops), every tie at least $min_strength.
// Intermediaries are never private (property `private` true/yes/1) nor in $excluded; paths are
// simple. Parallel ties between two people count once, with their strongest strength.
// Ranked as engine.paths.path_sort_key ranks them (the weakest link, highest first; then
// fewer hops; then the intermediaries' lowest pc_score, null as 0; then the sorted strengths,
// highest first; then the ids), and cut at $limit rows.
// Hub-safe: each path length is a hash join of expansions from both ends, found by their unique
// ids (the hints fix that plan): one step from each end for 2 hops; for 3 hops, two steps from
// the end whose neighbours have fewer ties in all and one from the other. The cost is ties of
// the people one step from the cheaper end, never every path of the graph; a high
// $min_strength prunes every expansion.
// Returns: via (ids of the intermediaries), via_names, via_scores (pc_score or null),
//   strengths (one per hop, from $from to $to).
// Parameters: $from, $to (person ids), $max_hops (1, 2 or 3), $min_strength (number; 0 for all
//   ties), $excluded (list of ids never used as intermediaries), $limit (int)
// Example in Browser: :param from => 'a1'; :param to => 'g1'; :param max_hops => 3;
//   :param min_strength => 0.0; :param excluded => []; :param limit => 10
MATCH (a:Person {id: $from}), (c:Person {id: $to})
WHERE a <> c
CALL (a, c) {
  MATCH (a)-[r:KNOWS]-(c)
  WHERE r.strength >= $min_strength
  WITH max(r.strength) AS s
  WHERE s IS NOT NULL
  RETURN [] AS via, [s] AS strengths
  UNION ALL
  WITH a, c
  WHERE $max_hops >= 2
  MATCH (a2:Person {id: $from})-[r1:KNOWS]-(x:Person)-[r2:KNOWS]-(c2:Person {id: $to})
  USING INDEX a2:Person(id)
  USING INDEX c2:Person(id)
  USING JOIN ON x
  WHERE r1.strength >= $min_strength AND r2.strength >= $min_strength
    AND x <> a2 AND x <> c2 AND NOT x.id IN $excluded
    AND NOT coalesce(toLower(toString(x.private)) IN ['true', 'yes', 'y', '1'], false)
  WITH x, max(r1.strength) AS s1, max(r2.strength) AS s2
  RETURN [x] AS via, [s1, s2] AS strengths
  UNION ALL
  WITH a, c
  WHERE $max_hops >= 3
  CALL (a) {
    MATCH (a)-[r:KNOWS]-(n:Person)
    WHERE r.strength >= $min_strength
    RETURN sum(COUNT { (n)-[:KNOWS]-() }) AS reach_a
  }
  CALL (c) {
    MATCH (c)-[r:KNOWS]-(n:Person)
    WHERE r.strength >= $min_strength
    RETURN sum(COUNT { (n)-[:KNOWS]-() }) AS reach_c
  }
  CALL (reach_a, reach_c) {
    // Two steps from $from, one from $to, joined on y.
    WITH reach_a, reach_c
    WHERE reach_a <= reach_c
    MATCH (a2:Person {id: $from})-[r1:KNOWS]-(x:Person)-[r2:KNOWS]-(y:Person)
          -[r3:KNOWS]-(c2:Person {id: $to})
    USING INDEX a2:Person(id)
    USING INDEX c2:Person(id)
    USING JOIN ON y
    WHERE r1.strength >= $min_strength AND r2.strength >= $min_strength
      AND r3.strength >= $min_strength AND x <> c2 AND y <> a2 AND x <> y
      AND NOT x.id IN $excluded AND NOT y.id IN $excluded
      AND NOT coalesce(toLower(toString(x.private)) IN ['true', 'yes', 'y', '1'], false)
      AND NOT coalesce(toLower(toString(y.private)) IN ['true', 'yes', 'y', '1'], false)
    RETURN x, y, r1.strength AS s1, r2.strength AS s2, r3.strength AS s3
    UNION ALL
    // One step from $from, two from $to, joined on x.
    WITH reach_a, reach_c
    WHERE reach_a > reach_c
    MATCH (a2:Person {id: $from})-[r1:KNOWS]-(x:Person)-[r2:KNOWS]-(y:Person)
          -[r3:KNOWS]-(c2:Person {id: $to})
    USING INDEX a2:Person(id)
    USING INDEX c2:Person(id)
    USING JOIN ON x
    WHERE r1.strength >= $min_strength AND r2.strength >= $min_strength
      AND r3.strength >= $min_strength AND x <> c2 AND y <> a2 AND x <> y
      AND NOT x.id IN $excluded AND NOT y.id IN $excluded
      AND NOT coalesce(toLower(toString(x.private)) IN ['true', 'yes', 'y', '1'], false)
      AND NOT coalesce(toLower(toString(y.private)) IN ['true', 'yes', 'y', '1'], false)
    RETURN x, y, r1.strength AS s1, r2.strength AS s2, r3.strength AS s3
  }
  WITH x, y, max(s1) AS s1, max(s2) AS s2, max(s3) AS s3
  RETURN [x, y] AS via, [s1, s2, s3] AS strengths
}
WITH [v IN via | v.id] AS via_ids, [v IN via | v.name] AS via_names,
     [v IN via | v.pc_score] AS via_scores, strengths,
     reduce(low = [], s IN strengths |
       [v IN low WHERE v <= s] + [s] + [v IN low WHERE v > s]) AS ascending
WITH via_ids, via_names, via_scores, strengths, ascending,
     coalesce(reduce(low = null, s IN [v IN via_scores | coalesce(v, 0.0)] |
       CASE WHEN low IS NULL OR s < low THEN s ELSE low END), 0.0) AS score
ORDER BY ascending[0] DESC, size(strengths) ASC, score DESC, ascending DESC, via_ids ASC
LIMIT $limit
RETURN via_ids AS via, via_names, via_scores, strengths
