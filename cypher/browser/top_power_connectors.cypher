// top_power_connectors: top power connectors with the groups they bridge (a graph).
// The $top best-ranked :PowerConnector people, each of their strong ties (strength at least
// the last run's cut-off, :Run.strong), the contact at its other end and that contact's
// :Organization. With powerconnect.grass the power connectors are large and orange and each
// tie shows its strength; Browser also draws the ties among the contacts it shows, so the
// groups appear as clusters that only the power connector joins. Run `powerconnect rank` first;
// only the people of the last finished run (pc_run, the :Run's id).
// Returns: p (a :PowerConnector), k (a strong :KNOWS tie of p), c (the contact), w and o (the
//   contact's :WORKS_AT tie and :Organization; null when it has none).
// Parameters: $top (int, how many power connectors, best first)
// :param top => 5
MATCH (run:Run)
MATCH (p:PowerConnector)
WHERE p.pc_run = run.id
WITH run, p ORDER BY p.pc_rank LIMIT $top
MATCH (p)-[k:KNOWS]-(c:Person)
WHERE k.strength >= run.strong
OPTIONAL MATCH (c)-[w:WORKS_AT]->(o:Organization)
RETURN p, k, c, w, o
