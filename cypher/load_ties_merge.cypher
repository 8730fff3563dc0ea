// load_ties_merge: add ties that were not found between people who were already there
// (MERGE, so that a tie created meanwhile is not doubled).
// Returns one row: written. Parameters: $rows, a list of [element id of a, element id of b,
// properties (map, with strength and source)].
UNWIND $rows AS row
MATCH (a:Person) WHERE elementId(a) = row[0]
MATCH (b:Person) WHERE elementId(b) = row[1]
MERGE (a)-[k:KNOWS]->(b)
ON CREATE SET k += row[2]
RETURN count(k) AS written
