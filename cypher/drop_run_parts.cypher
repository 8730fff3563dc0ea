// drop_run_parts: deletes the :RunPart nodes (see write_scores) that belong to no published
// run: what ranking runs stopped before publish_run left. The current run's parts, if any, are
// kept (settle_run writes and deletes them).
// Returns one row: dropped (int). Parameters: none
OPTIONAL MATCH (s:RunPart)
WHERE NOT EXISTS { MATCH (r:Run) WHERE r.id = s.run }
DETACH DELETE s
RETURN count(s) AS dropped
