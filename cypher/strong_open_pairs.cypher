// strong_open_pairs: the structural holes one person spans with strong ties on both sides.
// For person $id: pairs of contacts (a, b) both tied to the person with strength >= $strong,
// in different groups, while a and b have no tie of strength >= $strong to each other (none,
// or only a weak one). A contact's group is its $group_by property, or, when $group_by is
// null, the group the last ranking run gave it (pc_group, e.g. 'community 3'); pairs where a
// group is unknown are kept. Hub-safe: weak ties are filtered out before pairs are formed, so
// the cost grows with the number of strong ties, never with the weak ones; $limit bounds the
// rows.
// Returns: a, a_name, a_group, a_strength, b, b_name, b_group, b_strength, ab_strength
//   (the weak a-b strength, or null when they are not tied), sorted by the weaker of the two
//   ties, strongest first.
// Parameters: $id (string), $strong (number), $group_by (string or null), $limit (int)
// Example in Browser: :param id => 'p1'; :param strong => 0.5; :param group_by => null;
//   :param limit => 25
MATCH (p:Person {id: $id})-[s:KNOWS]-(c:Person)
WHERE s.strength >= $strong
WITH p, collect({node: c, strength: s.strength}) AS strong
UNWIND range(0, size(strong) - 2) AS i
UNWIND range(i + 1, size(strong) - 1) AS j
WITH strong[i] AS x, strong[j] AS y
WITH x.node AS a, y.node AS b, x.strength AS sa, y.strength AS sb
WITH a, b, sa, sb,
     CASE WHEN $group_by IS NULL THEN a.pc_group ELSE toString(a[$group_by]) END AS ga,
     CASE WHEN $group_by IS NULL THEN b.pc_group ELSE toString(b[$group_by]) END AS gb
WHERE ga IS NULL OR gb IS NULL OR ga = '' OR gb = '' OR ga <> gb
OPTIONAL MATCH (a)-[ab:KNOWS]-(b)
WITH a, b, sa, sb, ga, gb, max(ab.strength) AS ab_strength
WHERE ab_strength IS NULL OR ab_strength < $strong
RETURN a.id AS a, a.name AS a_name, ga AS a_group, sa AS a_strength,
       b.id AS b, b.name AS b_name, gb AS b_group, sb AS b_strength, ab_strength
ORDER BY CASE WHEN sa < sb THEN sa ELSE sb END DESC, a, b
LIMIT $limit
