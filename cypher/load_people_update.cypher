// load_people_update: change some properties of people already in the database
// (a null value removes the property). Each batch is committed in its own transaction.
// Returns nothing. Parameters: $batches, a list of batches, each a list of
// [person internal id, properties (map)].
UNWIND $batches AS rows
CALL (rows) {
  UNWIND rows AS row
  MATCH (p:Person) WHERE id(p) = row[0]
  SET p += row[1]
} IN TRANSACTIONS OF 1 ROW
