// spark_person_ids: the id of every person, for the Spark engine (read through the Neo4j
// Connector for Apache Spark; load-interactions --engine spark --dry-run compares with it).
// Returns: id (person id), one row per person.
// Parameters: none
MATCH (p:Person)
RETURN p.id AS id
