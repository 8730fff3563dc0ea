// load_people_organizations: make each person WORKS_AT exactly the organization given, or at
// none when it is null; an organization left without any relationship is deleted.
// Each batch is committed in its own transaction.
// Returns nothing. Parameters: $batches, a list of batches, each a list of
// [person internal id, organization name or null].
UNWIND $batches AS rows
CALL (rows) {
  UNWIND rows AS row
  MATCH (p:Person) WHERE id(p) = row[0]
  CALL (p, row) {
    MATCH (p)-[w:WORKS_AT]->(old:Organization)
    WHERE row[1] IS NULL OR old.name <> row[1]
    DELETE w
    WITH DISTINCT old
    WHERE NOT EXISTS { (old)--() }
    DELETE old
  }
  CALL (p, row) {
    WITH p, row
    WHERE row[1] IS NOT NULL
    MERGE (o:Organization {name: row[1]})
    MERGE (p)-[:WORKS_AT]->(o)
  }
} IN TRANSACTIONS OF 1 ROW
