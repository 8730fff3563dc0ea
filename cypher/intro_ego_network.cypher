// intro_ego_network: the part of the network that `recommend --person` needs, so that one
// person's introductions do not read the whole graph: every tie of the person and of each
// candidate (someone tied with strength >= $strong to one of the person's contacts of strength
// >= $strong), and everyone at either end of those ties. Enough to tell who is tied to whom and
// how many people each of them knows in each group.
// Returns one row: ties (list of [id, id, strength]; a tie between two candidates may appear
//   twice), people (list of [id, name, group, private, pc_score]; group is the property
//   $group_by as a string, or null; private is the property `private` true/yes/1).
// Parameters: $person (person id), $strong (number), $group_by (property name)
// Example in Browser: :param person => 'a1'; :param strong => 0.5;
//   :param group_by => 'organization'
MATCH (p:Person {id: $person})
CALL (p) {
  OPTIONAL MATCH (p)-[s1:KNOWS]-(:Person)-[s2:KNOWS]-(c:Person)
  WHERE s1.strength >= $strong AND s2.strength >= $strong AND c <> p
  RETURN collect(DISTINCT c) AS candidates
}
UNWIND [p] + candidates AS u
MATCH (u)-[k:KNOWS]-(v:Person)
WITH collect([u.id, v.id, k.strength]) AS ties, collect(DISTINCT u) + collect(DISTINCT v) AS people
RETURN ties,
       [x IN people | [x.id, x.name,
                       CASE WHEN x[$group_by] IS NULL THEN null ELSE toString(x[$group_by]) END,
                       coalesce(toLower(toString(x.private)) IN ['true', 'yes', 'y', '1'], false),
                       x.pc_score]] AS people
