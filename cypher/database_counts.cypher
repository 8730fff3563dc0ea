// database_counts: how many people, ties and organizations the database holds.
// Returns one row: people, ties, organizations. Parameters: none.
CALL () { MATCH (p:Person) RETURN count(p) AS people }
CALL () { MATCH (:Person)-[k:KNOWS]->(:Person) RETURN count(k) AS ties }
CALL () { MATCH (o:Organization) RETURN count(o) AS organizations }
RETURN people, ties, organizations
