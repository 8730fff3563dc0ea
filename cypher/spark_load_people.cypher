// spark_load_people: the people a Spark load of interactions names, created with just their id
// when missing (load-interactions --engine spark; the Neo4j Connector for Apache Spark sends
// each batch of rows as $events and adds the first line itself). MERGE on the unique Person.id.
// Returns nothing. Parameters: $events, a list of maps with key id (a person id).
UNWIND $events AS event
MERGE (p:Person {id: event.id})
