// settle_run: moves the values that write_scores staged for the ranking run $id (already the
// :Run, see publish_run) into each person's pc_* properties (a null removes one), with its role
// label (:PowerConnector, :MegaConnector, :LocalHub) and score-tier label (:ScoreTop,
// :ScoreHigh, :ScoreMid, :ScoreLow), the previous run's labels removed first, and removes the
// pc_next_* properties; $batch people per transaction (an auto-commit query). Idempotent:
// stopped in the middle, it is run again by the next reader or rank (engine.analysis.settle).
// Returns nothing. Parameters: $id (the :Run's id), $batch (int, people per transaction)
MATCH (p:Person {pc_next_run: $id})
CALL (p) {
  REMOVE p:PowerConnector, p:MegaConnector, p:LocalHub
  REMOVE p:ScoreTop, p:ScoreHigh, p:ScoreMid, p:ScoreLow
  SET p.pc_run = $id,
      p.pc_rank = p.pc_next_rank,
      p.pc_score = p.pc_next_score,
      p.pc_role = p.pc_next_role,
      p.pc_constraint = p.pc_next_constraint,
      p.pc_effective_size = p.pc_next_effective_size,
      p.pc_efficiency = p.pc_next_efficiency,
      p.pc_hierarchy = p.pc_next_hierarchy,
      p.pc_strong_ties = p.pc_next_strong_ties,
      p.pc_weak_ties = p.pc_next_weak_ties,
      p.pc_groups_bridged = p.pc_next_groups_bridged,
      p.pc_open_pairs = p.pc_next_open_pairs,
      p.pc_simmelian_ties = p.pc_next_simmelian_ties,
      p.pc_group = p.pc_next_group,
      p.pc_explanation = p.pc_next_explanation
  FOREACH (_ IN CASE WHEN p.pc_next_role = 'power connector' THEN [1] ELSE [] END |
    SET p:PowerConnector)
  FOREACH (_ IN CASE WHEN p.pc_next_role = 'mega connector' THEN [1] ELSE [] END |
    SET p:MegaConnector)
  FOREACH (_ IN CASE WHEN p.pc_next_role = 'local hub' THEN [1] ELSE [] END | SET p:LocalHub)
  FOREACH (_ IN CASE WHEN p.pc_next_score_tier = 'top' THEN [1] ELSE [] END | SET p:ScoreTop)
  FOREACH (_ IN CASE WHEN p.pc_next_score_tier = 'high' THEN [1] ELSE [] END | SET p:ScoreHigh)
  FOREACH (_ IN CASE WHEN p.pc_next_score_tier = 'mid' THEN [1] ELSE [] END | SET p:ScoreMid)
  FOREACH (_ IN CASE WHEN p.pc_next_score_tier = 'low' THEN [1] ELSE [] END | SET p:ScoreLow)
  REMOVE p.pc_next_run, p.pc_next_rank, p.pc_next_score, p.pc_next_role, p.pc_next_constraint,
         p.pc_next_effective_size, p.pc_next_efficiency, p.pc_next_hierarchy,
         p.pc_next_strong_ties, p.pc_next_weak_ties, p.pc_next_groups_bridged,
         p.pc_next_open_pairs, p.pc_next_simmelian_ties, p.pc_next_group,
         p.pc_next_explanation, p.pc_next_score_tier
} IN TRANSACTIONS OF $batch ROWS
