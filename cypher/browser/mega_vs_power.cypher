// mega_vs_power: mega connectors next to power connectors (a table).
// The mega connectors have many ties, mostly weak (a low mean strength); the power
// connectors fewer ties, mostly strong, reaching into several groups. Run `powerconnect rank`
// first; only the people of the last finished run (pc_run, the :Run's id).
// Returns per person, the $top best-ranked of each role, mega connectors first: role, rank,
//   name, id, score, ties (distinct contacts), strong_ties, weak_ties, mean_strength (mean
//   over the contacts of the strongest tie to each, 2 decimals), groups_bridged, explanation.
// Parameters: $top (int, how many people of each role)
// :param top => 5
MATCH (run:Run)
MATCH (p:Person)
WHERE (p:MegaConnector OR p:PowerConnector) AND p.pc_run = run.id
WITH p ORDER BY p.pc_rank
WITH p.pc_role AS role, collect(p)[..$top] AS people
UNWIND people AS p
CALL (p) {
  MATCH (p)-[k:KNOWS]-(c:Person)
  WHERE c <> p AND k.strength > 0
  WITH c, max(k.strength) AS strength
  RETURN count(c) AS ties, avg(strength) AS mean_strength
}
RETURN role, p.pc_rank AS rank, p.name AS name, p.id AS id, round(p.pc_score, 3) AS score,
       ties, p.pc_strong_ties AS strong_ties, p.pc_weak_ties AS weak_ties,
       round(mean_strength, 2) AS mean_strength, p.pc_groups_bridged AS groups_bridged,
       p.pc_explanation AS explanation
ORDER BY role, rank
