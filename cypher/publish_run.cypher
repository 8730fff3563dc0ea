// publish_run: makes the ranking run $id, staged by write_scores (:RunPart nodes), the current
// one, in one small transaction: the :Run node(s) of the previous run are replaced by this one.
// Until then readers see the previous run whole; after it, settle_run writes the staged values
// onto the people (pc_*), and every reader of powerconnect settles first, so it never sees a
// mix (Browser's saved queries show only the people whose pc_run is the :Run's id).
// Returns one row: id, at. Parameters: $id (string), $parameters (JSON string of the
//   options), $strong (number), $group_by (string or null), $people (int), $ties (int).
OPTIONAL MATCH (old:Run)
DETACH DELETE old
WITH count(*) AS _
CREATE (r:Run {id: $id, at: datetime(), parameters: $parameters, strong: $strong,
               group_by: $group_by, people: $people, ties: $ties})
RETURN r.id AS id, toString(r.at) AS at
