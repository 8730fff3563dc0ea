// create_run: records one ranking run, replacing the previous :Run node(s).
// Returns: id, at. Parameters: $id (string), $parameters (JSON string of the options),
//   $strong (number), $group_by (string or null), $people (int), $ties (int).
OPTIONAL MATCH (old:Run)
DETACH DELETE old
WITH count(*) AS _
CREATE (r:Run {id: $id, at: datetime(), parameters: $parameters, strong: $strong,
               group_by: $group_by, people: $people, ties: $ties})
RETURN r.id AS id, toString(r.at) AS at
