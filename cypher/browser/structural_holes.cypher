// structural_holes: why a person ranks where they do: the holes they span with strong ties.
// The person's stored role, score and explanation from the last `powerconnect rank` run, and
// each pair of their strong contacts (strength >= the run's threshold) in different groups
// that are not strongly tied to each other: the structural holes `powerconnect explain`
// lists. A group is the run's --group-by property, or the detected community (pc_group).
// Returns one row per hole: person, role, score, explanation, a, a_group, b, b_group,
//   ab_strength (the weak a-b tie, or null), sorted by the weaker of the two strong ties.
// Parameters: $id (string, the person's id as `powerconnect rank` prints it; p00115 is the
//   demo's top power connector)
// :param id => 'p00115'
MATCH (r:Run)
MATCH (p:Person {id: $id})-[s:KNOWS]-(c:Person)
WHERE s.strength >= r.strong
WITH r, p, collect({node: c, strength: s.strength}) AS strong
UNWIND range(0, size(strong) - 2) AS i
UNWIND range(i + 1, size(strong) - 1) AS j
WITH r, p, strong[i].node AS a, strong[j].node AS b,
     CASE WHEN strong[i].strength < strong[j].strength
          THEN strong[i].strength ELSE strong[j].strength END AS weaker
WITH r, p, a, b, weaker,
     CASE WHEN r.group_by IS NULL THEN a.pc_group ELSE toString(a[r.group_by]) END AS ga,
     CASE WHEN r.group_by IS NULL THEN b.pc_group ELSE toString(b[r.group_by]) END AS gb
WHERE ga IS NULL OR gb IS NULL OR ga = '' OR gb = '' OR ga <> gb
OPTIONAL MATCH (a)-[ab:KNOWS]-(b)
WITH r, p, a, b, weaker, ga, gb, max(ab.strength) AS ab_strength
WHERE ab_strength IS NULL OR ab_strength < r.strong
RETURN p.name AS person, p.pc_role AS role, p.pc_score AS score,
       p.pc_explanation AS explanation, a.name AS a, ga AS a_group, b.name AS b,
       gb AS b_group, ab_strength
ORDER BY weaker DESC, a, b
LIMIT 50
