// intro_write: stores recommended introductions, one (:Introduction) per row, asked of the
// broker and joining two people:
//   (broker)-[:CAN_INTRODUCE]->(i:Introduction)-[:INTRODUCES {strength}]->(a),
//   (i)-[:TO {strength}]->(c)
// where each strength is the broker's tie to that person. CREATE, not MERGE: every run has a
// new run id, so its Introduction ids (unique by the constraint introduction_id) are new, and a
// batch that fails is rolled back as a whole (a third cheaper than MERGE).
// Returns one row per batch: written (introductions; a retried call resumes after the
//   batches whose row came back). Parameters: $run (run id), $at (ISO-8601 date-time of the run),
//   $group_by (the group property compared), $batches: a list of batches (each committed
//   in its own transaction), each a list of maps with keys id, rank, score,
//   warmth, known_across, reason, broker, a, c, broker_a, broker_c, a_group, c_group.
UNWIND $batches AS rows
CALL (rows) {
  UNWIND rows AS row
  MATCH (b:Person {id: row.broker}), (a:Person {id: row.a}), (c:Person {id: row.c})
  CREATE (b)-[:CAN_INTRODUCE]->(i:Introduction {
           id: row.id, run: $run, at: datetime($at), group_by: $group_by, rank: row.rank,
           score: row.score, warmth: row.warmth, known_across: row.known_across,
           reason: row.reason, a_group: row.a_group, c_group: row.c_group
         }),
         (i)-[:INTRODUCES {strength: row.broker_a}]->(a),
         (i)-[:TO {strength: row.broker_c}]->(c)
  RETURN count(*) AS written
} IN TRANSACTIONS OF 1 ROW
RETURN written
