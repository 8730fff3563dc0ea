// spark_write_scores: write_scores for the Spark engine: stages one run's measures, score, role
// and explanation on each person as pc_next_* properties under the run id, until publish_run
// and settle_run make them the current run (see write_scores.cypher). The Neo4j Connector for
// Apache Spark sends the rows in batches as $events and adds the first line itself.
// Returns nothing. Parameters: $events: a list of maps with keys run (the run id) and the keys
//   of write_scores' rows (id, rank, score, role, constraint, ..., explanation, score_tier).
UNWIND $events AS event
MATCH (p:Person {id: event.id})
SET p.pc_next_run = event.run,
    p.pc_next_rank = event.rank,
    p.pc_next_score = event.score,
    p.pc_next_role = event.role,
    p.pc_next_constraint = event.constraint,
    p.pc_next_effective_size = event.effective_size,
    p.pc_next_efficiency = event.efficiency,
    p.pc_next_hierarchy = event.hierarchy,
    p.pc_next_strong_ties = event.strong_ties,
    p.pc_next_weak_ties = event.weak_ties,
    p.pc_next_groups_bridged = event.groups_bridged,
    p.pc_next_open_pairs = event.open_pairs,
    p.pc_next_simmelian_ties = event.simmelian_ties,
    p.pc_next_group = event.group,
    p.pc_next_explanation = event.explanation,
    p.pc_next_score_tier = event.score_tier
