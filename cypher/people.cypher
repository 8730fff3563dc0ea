// people: every person, in chunks (one row per $chunk people, so that a large network
// crosses the wire as a few big lists rather than one small record per person).
// Returns: nodes, ids, names, groups: four aligned lists; nodes holds each person's internal
// node id (what the ties query names people by), groups the property $group_by as a string, or
// null when $group_by is null or the person has no such property.
// Parameters: $group_by (string or null), $chunk (int, people per row)
// Example in Browser: :param group_by => 'organization'; :param chunk => 1000
MATCH (p:Person)
WITH collect(p) AS people
UNWIND range(0, size(people) - 1, $chunk) AS i
WITH people[i..i + $chunk] AS chunk
RETURN [p IN chunk | id(p)] AS nodes,
       [p IN chunk | p.id] AS ids,
       [p IN chunk | p.name] AS names,
       [p IN chunk | CASE WHEN $group_by IS NULL OR p[$group_by] IS NULL THEN null
                          ELSE toString(p[$group_by]) END] AS groups
