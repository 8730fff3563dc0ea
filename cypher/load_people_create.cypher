// load_people_create: add people who are not in the database yet (the caller looked them up
// first), with their properties. CREATE rather than MERGE (a third faster); the unique
// constraint on Person.id still refuses a duplicate, should another load add one meanwhile.
// Returns one row: people, a list of [id, element id] (one row rather than one per person).
// Parameters: $rows, a list of [id, properties (map)].
UNWIND $rows AS row
CREATE (p:Person {id: row[0]})
SET p += row[1]
RETURN collect([p.id, elementId(p)]) AS people
