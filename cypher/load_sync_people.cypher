// load_sync_people: `powerconnect load --sync` with a people file: deletes every person whose
// id is not in it, with their ties and the introductions they take part in (an Introduction
// without one of its people means nothing). Runs in batches of $batch people, one
// transaction each (an auto-commit call). Returns one row: deleted (people deleted) and ties
// (their ties deleted with them: each person's ties are counted just before they go, so a
// tie between two deleted people is counted once, with the first).
// Parameters: $keep (the ids of the people file, a list of strings), $batch (int).
MATCH (p:Person)
WHERE NOT p.id IN $keep
CALL (p) {
  OPTIONAL MATCH (p)-[:CAN_INTRODUCE|INTRODUCES|TO]-(i:Introduction)
  WITH p, collect(DISTINCT i) AS introductions
  FOREACH (i IN introductions | DETACH DELETE i)
  WITH p, COUNT { (p)-[:KNOWS]-() } AS ties
  DETACH DELETE p
  RETURN ties
} IN TRANSACTIONS OF $batch ROWS
RETURN count(*) AS deleted, sum(ties) AS ties
