// drop_settled_parts: deletes the :RunPart nodes that settle_run has written onto the people
// (marked done, their arrays already dropped), so that none is left once a run is settled.
// Only done parts: the parts still to settle, and those of a run being staged (not yet
// published), stay.
// Returns one row: dropped (int). Parameters: none
OPTIONAL MATCH (s:RunPart)
WHERE s.done = true
DETACH DELETE s
RETURN count(s) AS dropped
