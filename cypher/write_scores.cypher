// write_scores: stages one run's measures, score, role and explanation on each person, under
// the run id, as pc_next_* properties (pc_next_run = $run): the previous run's pc_* values and
// labels stay as they are, and visible, until `publish_run` makes this run the :Run (one small
// transaction) and `settle_run` moves the staged values in. A rank stopped before publish_run
// thus leaves the previous run whole; its staged values are overwritten by the next rank.
// Returns nothing (idempotent: a retried call sends its batches again). Parameters: $run (run id), $batches: a list of
//   batches (each committed in its own transaction), each a list of maps with keys
//   id, rank, score, role, constraint, effective_size, efficiency, hierarchy, strong_ties,
//   weak_ties, groups_bridged, open_pairs, simmelian_ties, group, explanation, and
//   score_tier ('top', 'high', 'mid' or 'low': score at least 3/4, 1/2, 1/4 of the run's best
//   score, or above 0; null for no score; computed by engine.analysis.write_results).
UNWIND $batches AS rows
CALL (rows) {
  UNWIND rows AS row
  MATCH (p:Person {id: row.id})
  SET p.pc_next_run = $run,
      p.pc_next_rank = row.rank,
      p.pc_next_score = row.score,
      p.pc_next_role = row.role,
      p.pc_next_constraint = row.constraint,
      p.pc_next_effective_size = row.effective_size,
      p.pc_next_efficiency = row.efficiency,
      p.pc_next_hierarchy = row.hierarchy,
      p.pc_next_strong_ties = row.strong_ties,
      p.pc_next_weak_ties = row.weak_ties,
      p.pc_next_groups_bridged = row.groups_bridged,
      p.pc_next_open_pairs = row.open_pairs,
      p.pc_next_simmelian_ties = row.simmelian_ties,
      p.pc_next_group = row.group,
      p.pc_next_explanation = row.explanation,
      p.pc_next_score_tier = row.score_tier
} IN TRANSACTIONS OF 1 ROW
