// load_people_create: add people who are not in the database yet (the caller looked them up
// first), with their properties. CREATE rather than MERGE (a third faster); the unique
// constraint on Person.id still refuses a duplicate, should another load add one meanwhile.
// Each batch is committed in its own transaction. Returns one row per batch: people, a list
// of [id, internal id] (one row rather than one per person). The id is taken from the row,
// not read back from the node: reading a property after `SET p += ...` would make the
// planner put an Eager (buffer every row) between them.
// Parameters: $batches, a list of batches, each a list of [id, properties (map)].
UNWIND $batches AS rows
CALL (rows) {
  UNWIND rows AS row
  CREATE (p:Person {id: row[0]})
  SET p += row[1]
  RETURN collect([row[0], id(p)]) AS people
} IN TRANSACTIONS OF 1 ROW
RETURN people
