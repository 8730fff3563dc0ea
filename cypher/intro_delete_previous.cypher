// intro_delete_previous: removes the Introduction nodes of earlier `recommend` runs (every run
// but $run) in the scope of this one: all of them when $person is null, else only those that
// involve $person; in batches of $batch nodes, so it needs an auto-commit transaction.
// Returns nothing. Parameters: $run (the run to keep), $person (person id or null),
//   $batch (int, nodes per transaction)
MATCH (i:Introduction)
WHERE (i.run IS NULL OR i.run <> $run)
  AND ($person IS NULL OR EXISTS { (i)-[:INTRODUCES|TO]->(:Person {id: $person}) })
CALL (i) { DETACH DELETE i } IN TRANSACTIONS OF $batch ROWS
