// settle_run: writes the results that write_scores staged for the current ranking run (the
// :Run, see publish_run) onto each person, one :RunPart per transaction: the pc_* properties
// (NaN becomes null: no value), the role label (:PowerConnector, :MegaConnector, :LocalHub) and
// score-tier label (:ScoreTop, :ScoreHigh, :ScoreMid, :ScoreLow), the previous run's labels
// removed first; then deletes the part. An auto-commit query. Idempotent: stopped in the middle,
// it is run again by the next reader or rank (engine.analysis.settle) and does the parts left;
// with no :Run, or no part left, it writes nothing.
// Returns nothing. Parameters: none
MATCH (run:Run)
WITH run.id AS id ORDER BY run.at DESC LIMIT 1
MATCH (s:RunPart {run: id})
WITH DISTINCT id, s.part AS part
CALL (id, part) {
  // one settler at a time per part: take the :Run's write lock first, then look the part up
  // again (a part another reader settled and deleted meanwhile is no longer found)
  MATCH (r:Run {id: id})
  SET r.settling = true
  REMOVE r.settling
  WITH id, part
  MATCH (s:RunPart {run: id, part: part})
  CALL (s, id) {
    WITH s.ids AS ids, s.rank AS rank, s.score AS score, s.role AS role,
         s.constraint AS constraint, s.effective_size AS effective_size,
         s.efficiency AS efficiency, s.hierarchy AS hierarchy, s.strong_ties AS strong_ties,
         s.weak_ties AS weak_ties, s.groups_bridged AS groups_bridged,
         s.open_pairs AS open_pairs, s.simmelian_ties AS simmelian_ties, s.group AS group,
         s.explanation AS explanation, s.score_tier AS tier
    UNWIND range(0, size(ids) - 1) AS i
    MATCH (p:Person {id: ids[i]})
    REMOVE p:PowerConnector, p:MegaConnector, p:LocalHub
    REMOVE p:ScoreTop, p:ScoreHigh, p:ScoreMid, p:ScoreLow
    SET p.pc_run = id,
        p.pc_rank = rank[i],
        p.pc_score = CASE WHEN isNaN(score[i]) THEN null ELSE score[i] END,
        p.pc_role = role[i],
        p.pc_constraint = CASE WHEN isNaN(constraint[i]) THEN null ELSE constraint[i] END,
        p.pc_effective_size =
          CASE WHEN isNaN(effective_size[i]) THEN null ELSE effective_size[i] END,
        p.pc_efficiency = CASE WHEN isNaN(efficiency[i]) THEN null ELSE efficiency[i] END,
        p.pc_hierarchy = CASE WHEN isNaN(hierarchy[i]) THEN null ELSE hierarchy[i] END,
        p.pc_strong_ties = strong_ties[i],
        p.pc_weak_ties = weak_ties[i],
        p.pc_groups_bridged = groups_bridged[i],
        p.pc_open_pairs = open_pairs[i],
        p.pc_simmelian_ties = simmelian_ties[i],
        p.pc_group = group[i],
        p.pc_explanation = explanation[i]
    FOREACH (_ IN CASE WHEN role[i] = 'power connector' THEN [1] ELSE [] END |
      SET p:PowerConnector)
    FOREACH (_ IN CASE WHEN role[i] = 'mega connector' THEN [1] ELSE [] END |
      SET p:MegaConnector)
    FOREACH (_ IN CASE WHEN role[i] = 'local hub' THEN [1] ELSE [] END | SET p:LocalHub)
    FOREACH (_ IN CASE WHEN tier[i] = 'top' THEN [1] ELSE [] END | SET p:ScoreTop)
    FOREACH (_ IN CASE WHEN tier[i] = 'high' THEN [1] ELSE [] END | SET p:ScoreHigh)
    FOREACH (_ IN CASE WHEN tier[i] = 'mid' THEN [1] ELSE [] END | SET p:ScoreMid)
    FOREACH (_ IN CASE WHEN tier[i] = 'low' THEN [1] ELSE [] END | SET p:ScoreLow)
  }
  DELETE s
} IN TRANSACTIONS OF 1 ROW
