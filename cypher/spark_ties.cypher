// spark_ties: every tie once, as stored (one direction), with its strength, one row each, for
// the Spark engine (read through the Neo4j Connector for Apache Spark).
// Returns: src, dst (person ids), strength (number), calibrated (whether the strength is the
//   interactions model's P(close): source 'interactions' or 'linkedin', as ties.cypher counts).
// Parameters: none
MATCH (a:Person)-[k:KNOWS]->(b:Person)
RETURN a.id AS src, b.id AS dst, k.strength AS strength,
       coalesce(k.source IN ['interactions', 'linkedin'], false) AS calibrated
