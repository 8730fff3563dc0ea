// spark_write_scores: write_scores for the Spark engine: stages one run's results as :RunPart
// nodes, one per batch of rows the Neo4j Connector for Apache Spark sends, in the layout that
// engine.analysis.result_parts defines (the run id, a part number, the people's ids and one
// array per result at the same positions), until publish_run and settle_run make them the
// current run (see write_scores.cypher). The part number is the rank of the batch's first row,
// unique within a run. The connector adds the first line itself.
// Returns nothing. Parameters: $events: a list of maps with keys run (the run id) and the keys
//   of write_scores' arrays (id, rank, score, role, constraint, ..., explanation, score_tier),
//   with NaN for a missing number and '' for no score tier (arrays hold no nulls).
UNWIND $events AS event
WITH collect(event) AS rows
MERGE (s:RunPart {run: rows[0].run, part: rows[0].rank})
SET s.ids = [r IN rows | r.id],
    s.rank = [r IN rows | r.rank],
    s.score = [r IN rows | r.score],
    s.role = [r IN rows | r.role],
    s.constraint = [r IN rows | r.constraint],
    s.effective_size = [r IN rows | r.effective_size],
    s.efficiency = [r IN rows | r.efficiency],
    s.hierarchy = [r IN rows | r.hierarchy],
    s.strong_ties = [r IN rows | r.strong_ties],
    s.weak_ties = [r IN rows | r.weak_ties],
    s.groups_bridged = [r IN rows | r.groups_bridged],
    s.open_pairs = [r IN rows | r.open_pairs],
    s.simmelian_ties = [r IN rows | r.simmelian_ties],
    s.group = [r IN rows | r.group],
    s.explanation = [r IN rows | r.explanation],
    s.score_tier = [r IN rows | r.score_tier]
