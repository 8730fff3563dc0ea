// load_people_known: which of the given person ids are already in the database (a ties file
// loaded without a people file may name them). Returns one row: ids, the list of those found.
// Parameters: $rows, a list of person ids.
UNWIND $rows AS id
MATCH (p:Person {id: id})
RETURN collect(id) AS ids
