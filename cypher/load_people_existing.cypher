// load_people_existing: which of the given people are already in the database, and as what.
// Returns one row: people, a list with one [id, internal id, properties (map), organizations
// (names of the organizations the person WORKS_AT)] per person found (one row rather than
// one per person: a hundred thousand records cost the Python driver seconds).
// Parameters: $rows, a list of person ids.
UNWIND $rows AS id
MATCH (p:Person {id: id})
RETURN collect([p.id, id(p), properties(p),
                [(p)-[:WORKS_AT]->(o:Organization) | o.name]]) AS people
