// intro_delete_previous: removes the Introduction nodes that `recommend` run $run replaces (run
// after intro_publish): those of every other run when $person is null, else those that
// involve $person; and in any case those hidden (superseded) or of a run that never finished
// (no IntroductionRun). In batches of $batch nodes, so it needs an auto-commit transaction.
// Returns nothing. Parameters: $run (the run to keep), $person (person id or null),
//   $batch (int, nodes per transaction)
MATCH (i:Introduction)
WHERE (i.run IS NULL OR i.run <> $run)
  AND ($person IS NULL
       OR i.superseded
       OR EXISTS { (i)-[:INTRODUCES|TO]->(:Person {id: $person}) }
       OR NOT EXISTS { MATCH (r:IntroductionRun) WHERE r.id = i.run })
CALL (i) { DETACH DELETE i } IN TRANSACTIONS OF $batch ROWS
