// intro_paths_to_group: the warmest paths from one person to anyone in a group (the people whose
// property $group_by equals $group as a string): a direct tie (1 hop), one intermediary (2 hops)
// or two (3 hops), every tie at least $min_strength. Targets and intermediaries are never
// private (property `private` true/yes/1) nor in $excluded; intermediaries are never members
// of the group themselves (reaching that member directly is a shorter, better path); paths are
// simple; parallel ties count once, with their strongest strength.
// Ranked as engine.paths.path_sort_key ranks them (the weakest link, highest first; then
// fewer hops; then the intermediaries' lowest pc_score, null as 0; then the sorted strengths,
// highest first; then the ids), and cut at $limit rows.
// Hub-safe: the 2-hop (3-hop) paths hash-join the person's one-step (two-step) expansion with
// the members' one-step expansion on the middle person; the hints fix that plan (the planner
// cannot guess how selective the group is), and a high $min_strength prunes every expansion.
// Returns: target, target_name, via (ids of the intermediaries), via_names, via_scores
//   (pc_score or null), strengths (one per hop, from $from to the target).
// Parameters: $from (person id), $group_by (property name), $group (string), $max_hops (1, 2
//   or 3), $min_strength (number; 0 for all ties), $excluded (list of ids never suggested),
//   $limit (int)
// Example in Browser: :param from => 'a1'; :param group_by => 'organization';
//   :param group => 'Globex'; :param max_hops => 3; :param min_strength => 0.0;
//   :param excluded => []; :param limit => 10
MATCH (a:Person {id: $from})
CALL (a) {
  MATCH (a)-[r:KNOWS]-(t:Person)
  WHERE r.strength >= $min_strength AND toString(t[$group_by]) = $group
    AND t <> a AND NOT t.id IN $excluded
    AND NOT coalesce(toLower(toString(t.private)) IN ['true', 'yes', 'y', '1'], false)
  WITH t, max(r.strength) AS s
  RETURN t, [] AS via, [s] AS strengths
  UNION ALL
  // One intermediary: the person's and the members' one-step expansions, joined on x.
  WITH a
  WHERE $max_hops >= 2
  MATCH (a2:Person {id: $from})-[r1:KNOWS]-(x:Person)-[r2:KNOWS]-(t:Person)
  USING INDEX a2:Person(id)
  USING SCAN t:Person
  USING JOIN ON x
  WHERE r1.strength >= $min_strength AND r2.strength >= $min_strength
    AND toString(t[$group_by]) = $group AND coalesce(toString(x[$group_by]) <> $group, true)
    AND t <> a2 AND x <> a2 AND NOT t.id IN $excluded AND NOT x.id IN $excluded
    AND NOT coalesce(toLower(toString(t.private)) IN ['true', 'yes', 'y', '1'], false)
    AND NOT coalesce(toLower(toString(x.private)) IN ['true', 'yes', 'y', '1'], false)
  WITH x, t, max(r1.strength) AS s1, max(r2.strength) AS s2
  RETURN t, [x] AS via, [s1, s2] AS strengths
  UNION ALL
  // Two intermediaries: the person's two-step expansion and the members' one-step expansion,
  // hash-joined on the middle person (the hints keep the planner from scanning everyone).
  WITH a
  WHERE $max_hops >= 3
  MATCH (a2:Person {id: $from})-[r1:KNOWS]-(x:Person)-[r2:KNOWS]-(y:Person)-[r3:KNOWS]-(t:Person)
  USING INDEX a2:Person(id)
  USING SCAN t:Person
  USING JOIN ON y
  WHERE r1.strength >= $min_strength AND r2.strength >= $min_strength
    AND r3.strength >= $min_strength
    AND toString(t[$group_by]) = $group AND coalesce(toString(x[$group_by]) <> $group, true)
    AND coalesce(toString(y[$group_by]) <> $group, true)
    AND t <> a2 AND x <> a2 AND y <> a2 AND x <> y
    AND NOT t.id IN $excluded AND NOT x.id IN $excluded AND NOT y.id IN $excluded
    AND NOT coalesce(toLower(toString(t.private)) IN ['true', 'yes', 'y', '1'], false)
    AND NOT coalesce(toLower(toString(x.private)) IN ['true', 'yes', 'y', '1'], false)
    AND NOT coalesce(toLower(toString(y.private)) IN ['true', 'yes', 'y', '1'], false)
  WITH x, y, t, max(r1.strength) AS s1, max(r2.strength) AS s2, max(r3.strength) AS s3
  RETURN t, [x, y] AS via, [s1, s2, s3] AS strengths
}
WITH t, [v IN via | v.id] AS via_ids, [v IN via | v.name] AS via_names,
     [v IN via | v.pc_score] AS via_scores, strengths,
     reduce(low = [], s IN strengths |
       [v IN low WHERE v <= s] + [s] + [v IN low WHERE v > s]) AS ascending
WITH t, via_ids, via_names, via_scores, strengths, ascending,
     coalesce(reduce(low = null, s IN [v IN via_scores | coalesce(v, 0.0)] |
       CASE WHEN low IS NULL OR s < low THEN s ELSE low END), 0.0) AS score
ORDER BY ascending[0] DESC, size(strengths) ASC, score DESC, ascending DESC,
         via_ids + [t.id] ASC
LIMIT $limit
RETURN t.id AS target, t.name AS target_name, via_ids AS via, via_names, via_scores, strengths
