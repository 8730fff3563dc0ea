// ego_network: one person's ego network with tie strengths (a graph).
// The person, every contact, each tie labelled with its strength (with powerconnect.grass),
// and the ties among the contacts: the structural holes are the missing ones. Contacts are
// coloured by their own role.
// Returns one row: p (the :Person), ties (p's :KNOWS ties), contacts (the :Person at the
//   other end of each), among (the :KNOWS ties between two contacts).
// Parameters: $id (string, the person's id as `powerconnect rank` prints it; p00115 is the
//   demo's top power connector)
// :param id => 'p00115'
MATCH (p:Person {id: $id})
OPTIONAL MATCH (p)-[k:KNOWS]-(c:Person)
WHERE c <> p
WITH p, collect(k) AS ties, collect(DISTINCT c) AS contacts
OPTIONAL MATCH (a:Person)-[t:KNOWS]->(b:Person)
WHERE a IN contacts AND b IN contacts
RETURN p, ties, contacts, collect(t) AS among
