// load_ties_update: change some properties of existing ties (a null value removes one).
// Returns nothing. Parameters: $rows, a list of [tie element id, properties (map)].
UNWIND $rows AS row
MATCH (:Person)-[k:KNOWS]->(:Person) WHERE elementId(k) = row[0]
SET k += row[1]
