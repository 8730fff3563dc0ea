// write_scores: stages one ranking run's results without making any of them visible: each
// batch of people becomes one :RunPart node holding the run id, its part number, the people's
// ids and, at the same positions, one array per result (engine.analysis.result_parts says what
// each holds), so that staging writes a few large properties, not 16 on every person. The
// previous run's pc_* values and labels stay as they are, and visible, until `publish_run`
// makes this run the :Run (one small transaction) and `settle_run` writes each part onto its
// people. A rank stopped before publish_run thus leaves the previous run whole; the parts it
// left are deleted by the next rank (`drop_run_parts`).
// The parts go in as concurrent transactions (each part its own node, so they take no lock
// in common): the server writes two at a time on two cores.
// Returns nothing (idempotent: MERGE on run and part, so a retried call sends its batches
//   again). Parameters: $run (run id), $batches: a list of batches (each committed in its own
//   transaction), each a list of one map with keys part (int) and the arrays ids, rank, score,
//   role, constraint, effective_size, efficiency, hierarchy, strong_ties, weak_ties,
//   groups_bridged, open_pairs, simmelian_ties, group, explanation, score_tier (NaN for a
//   missing number, '' for no score tier: arrays hold no nulls).
UNWIND $batches AS rows
CALL (rows) {
  UNWIND rows AS row
  MERGE (s:RunPart {run: $run, part: row.part})
  SET s += row
} IN CONCURRENT TRANSACTIONS OF 1 ROW
