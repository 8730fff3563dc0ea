// spark_load_ties: the ties a Spark load of interactions derived, with the properties
// loaders.model.tie_properties gives (load-interactions --engine spark; the Neo4j Connector
// for Apache Spark sends each batch of rows as $events and adds the first line itself). Each
// tie is stored once, from the smaller id to the larger, and gets strength_<source>,
// interactions, last_interaction and, when the row has them, channels and minutes; its
// strength and source become the largest derived strength and its source, unless the tie's
// strength was given explicitly (a strength and no derived source), which is left as it is.
// Returns nothing. Parameters: $events, a list of maps with keys a, b (person ids, a < b),
//   source ('interactions': the strength is strength_interactions), strength (number), interactions (count), last_us (epoch
//   microseconds, UTC), channels (list of strings or null), minutes (number or null) and
//   others (the other derived sources, whose strength_<source> may be larger).
UNWIND $events AS event
MATCH (a:Person {id: event.a})
MATCH (b:Person {id: event.b})
MERGE (a)-[k:KNOWS]->(b)
WITH k, event,
     k.strength IS NOT NULL AND coalesce(k.source, 'csv') = 'csv' AS given,
     reduce(best = [event.source, event.strength], s IN event.others |
       CASE WHEN k['strength_' + s] > best[1] THEN [s, k['strength_' + s]] ELSE best END) AS best
SET k.strength_interactions = event.strength,
    k.interactions = event.interactions,
    k.last_interaction = datetime({epochSeconds: event.last_us / 1000000,
                                   nanosecond: (event.last_us % 1000000) * 1000}),
    k.channels = coalesce(event.channels, k.channels),
    k.minutes = coalesce(event.minutes, k.minutes),
    k.strength = CASE WHEN given THEN k.strength ELSE best[1] END,
    k.source = CASE WHEN given THEN k.source ELSE best[0] END
