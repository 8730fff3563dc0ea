// load_ties_create: add ties known to be new (one of their people was created by this load,
// or the database had no tie at all), grouped by their first person to save lookups.
// Returns one row: created. Parameters: $source ('csv' | 'interactions' | 'linkedin');
// $rows, a list of [element id of a, [element ids of b], [strengths], [properties] or null].
UNWIND $rows AS row
MATCH (a:Person) WHERE elementId(a) = row[0]
UNWIND range(0, size(row[1]) - 1) AS i
MATCH (b:Person) WHERE elementId(b) = row[1][i]
CREATE (a)-[k:KNOWS {strength: row[2][i], source: $source}]->(b)
SET k += coalesce(row[3][i], {})
RETURN count(k) AS created
