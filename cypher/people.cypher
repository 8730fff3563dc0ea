// people: every person, with the value of the grouping property when one is named.
// Returns: id, name, grp (the property $group_by as a string, or null when $group_by is null
// or the person has no such property).
// Parameters: $group_by (string or null), e.g. :param group_by => 'organization'
MATCH (p:Person)
RETURN p.id AS id,
       p.name AS name,
       CASE WHEN $group_by IS NULL OR p[$group_by] IS NULL THEN null
            ELSE toString(p[$group_by]) END AS grp
