// publish_run: makes the ranking run $id, staged by write_scores, the current one, in one
// transaction: each person staged under $id gets the staged values as its pc_* properties (a
// null removes one), its role label (:PowerConnector, :MegaConnector, :LocalHub) and its
// score-tier label (:ScoreTop, :ScoreHigh, :ScoreMid, :ScoreLow), the labels of the previous run
// removed first; the staged pc_next_* properties go; and the :Run node(s) of the previous run
// are replaced by this one. Readers take the values of the people whose pc_run is the :Run's
// id, so a rank stopped before this step leaves the previous run whole, and one stopped during
// it leaves it too (the transaction is rolled back).
// Returns one row: id, at, published (people). Parameters: $id (string), $parameters (JSON
//   string of the options), $strong (number), $group_by (string or null), $people (int),
//   $ties (int).
CALL () {
  MATCH (p:Person {pc_next_run: $id})
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
  RETURN count(p) AS published
}
CALL () {
  OPTIONAL MATCH (old:Run)
  DETACH DELETE old
  RETURN count(*) AS replaced
}
CREATE (r:Run {id: $id, at: datetime(), parameters: $parameters, strong: $strong,
               group_by: $group_by, people: $people, ties: $ties})
RETURN r.id AS id, toString(r.at) AS at, published
