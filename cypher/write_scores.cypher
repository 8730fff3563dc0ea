// write_scores: stores one run's measures, score, role and explanation on each person,
// replacing the previous run's values (a null value removes the property).
// Role labels (:PowerConnector, :MegaConnector, :LocalHub) let Neo4j Browser colour people by role;
// score-tier labels (:ScoreTop, :ScoreHigh, :ScoreMid, :ScoreLow) let it size them by score.
// Both kinds are removed from each person first, so none is left from the previous run; people
// with no score (score_tier null) get no tier label.
// Returns nothing. Parameters: $run (run id), $batches: a list of batches (each committed
//   in its own transaction), each a list of maps with keys
//   id, rank, score, role, constraint, effective_size, efficiency, hierarchy, strong_ties,
//   weak_ties, groups_bridged, open_pairs, simmelian_ties, group, explanation, and
//   score_tier ('top', 'high', 'mid' or 'low': score at least 3/4, 1/2, 1/4 of the run's best
//   score, or above 0; null for no score; computed by engine.analysis.write_results).
UNWIND $batches AS rows
CALL (rows) {
  UNWIND rows AS row
  MATCH (p:Person {id: row.id})
  REMOVE p:PowerConnector, p:MegaConnector, p:LocalHub
  REMOVE p:ScoreTop, p:ScoreHigh, p:ScoreMid, p:ScoreLow
  SET p.pc_run = $run,
      p.pc_rank = row.rank,
      p.pc_score = row.score,
      p.pc_role = row.role,
      p.pc_constraint = row.constraint,
      p.pc_effective_size = row.effective_size,
      p.pc_efficiency = row.efficiency,
      p.pc_hierarchy = row.hierarchy,
      p.pc_strong_ties = row.strong_ties,
      p.pc_weak_ties = row.weak_ties,
      p.pc_groups_bridged = row.groups_bridged,
      p.pc_open_pairs = row.open_pairs,
      p.pc_simmelian_ties = row.simmelian_ties,
      p.pc_group = row.group,
      p.pc_explanation = row.explanation
  FOREACH (_ IN CASE WHEN row.role = 'power connector' THEN [1] ELSE [] END | SET p:PowerConnector)
  FOREACH (_ IN CASE WHEN row.role = 'mega connector' THEN [1] ELSE [] END | SET p:MegaConnector)
  FOREACH (_ IN CASE WHEN row.role = 'local hub' THEN [1] ELSE [] END | SET p:LocalHub)
  FOREACH (_ IN CASE WHEN row.score_tier = 'top' THEN [1] ELSE [] END | SET p:ScoreTop)
  FOREACH (_ IN CASE WHEN row.score_tier = 'high' THEN [1] ELSE [] END | SET p:ScoreHigh)
  FOREACH (_ IN CASE WHEN row.score_tier = 'mid' THEN [1] ELSE [] END | SET p:ScoreMid)
  FOREACH (_ IN CASE WHEN row.score_tier = 'low' THEN [1] ELSE [] END | SET p:ScoreLow)
} IN TRANSACTIONS OF 1 ROW
