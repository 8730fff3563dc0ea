// load_people_update: change some properties of people already in the database
// (a null value removes the property).
// Returns nothing. Parameters: $rows, a list of [person element id, properties (map)].
UNWIND $rows AS row
MATCH (p:Person) WHERE elementId(p) = row[0]
SET p += row[1]
