// report_people: everyone the last ranking run ranked, with what `powerconnect report` plots
// (ties against mean tie strength) and tabulates, best first. No rows when no run is stored.
// Returns one row per person: run_id, run_at, strong (the run's strong-tie cut-off), group_by
//   (the run's --group-by, or null), rank, id, name, role, score, ties (distinct contacts over
//   ties with a positive strength, as the ranking counts them), mean_strength (mean over those
//   contacts of the strongest tie to each; null without ties), strong_ties, weak_ties,
//   groups_bridged, group, explanation.
// Parameters: none
MATCH (run:Run)
MATCH (p:Person {pc_run: run.id})
CALL (p) {
  OPTIONAL MATCH (p)-[k:KNOWS]-(c:Person)
  WHERE c <> p AND k.strength > 0
  WITH c, max(k.strength) AS strength
  RETURN count(c) AS ties, avg(strength) AS mean_strength
}
RETURN run.id AS run_id, toString(run.at) AS run_at, run.strong AS strong,
       run.group_by AS group_by, p.pc_rank AS rank, p.id AS id, p.name AS name,
       p.pc_role AS role, p.pc_score AS score, ties, mean_strength,
       p.pc_strong_ties AS strong_ties, p.pc_weak_ties AS weak_ties,
       p.pc_groups_bridged AS groups_bridged, p.pc_group AS group,
       p.pc_explanation AS explanation
ORDER BY rank
