// intro_publish: makes the `recommend` run $run, whose introductions intro_write has stored,
// visible, in one transaction: it records an (:IntroductionRun {id, at, person, group_by}), and
// hides what this run replaces: with $person null, every earlier run (their IntroductionRun
// nodes go); with a $person, the earlier introductions that involve them (superseded: true).
// Readers show an Introduction only when its run has an IntroductionRun and it is not
// superseded, so a `recommend` stopped before this step shows the previous introductions, and
// only them; intro_delete_previous deletes what is hidden afterwards.
// Returns one row: id, superseded (introductions hidden for $person). Parameters: $run (run
//   id), $at (ISO-8601 date-time of the run), $person (person id or null), $group_by (string)
CALL () {
  MATCH (i:Introduction)
  WHERE $person IS NOT NULL AND i.run <> $run AND i.superseded IS NULL
    AND EXISTS { (i)-[:INTRODUCES|TO]->(:Person {id: $person}) }
  SET i.superseded = true
  RETURN count(i) AS superseded
}
CALL () {
  OPTIONAL MATCH (old:IntroductionRun)
  WHERE $person IS NULL
  DELETE old
  RETURN count(*) AS replaced
}
CREATE (r:IntroductionRun {id: $run, at: datetime($at), person: $person, group_by: $group_by})
RETURN r.id AS id, superseded
