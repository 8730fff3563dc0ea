// intro_group_members: who is in a group, for `introduce --to-group`: how many people have
// $group_by = $group (as a string), how many of them may be suggested (not $from, not private,
// not in $excluded), and which of those $from already knows.
// Returns one row: members, reachable (ints), known (list of maps {id, name, strength},
//   strongest tie first).
// Parameters: $from (person id), $group_by (property name), $group (string),
//   $excluded (list of ids never suggested)
// Example in Browser: :param from => 'a1'; :param group_by => 'organization';
//   :param group => 'Globex'; :param excluded => []
CALL () {
  MATCH (t:Person)
  WHERE toString(t[$group_by]) = $group
  RETURN count(t) AS members,
         count(CASE WHEN t.id <> $from AND NOT t.id IN $excluded
                      AND NOT coalesce(toLower(toString(t.private)) IN ['true', 'yes', 'y', '1'],
                                       false)
                    THEN 1 END) AS reachable
}
CALL () {
  OPTIONAL MATCH (:Person {id: $from})-[k:KNOWS]-(t:Person)
  WHERE toString(t[$group_by]) = $group AND t.id <> $from AND NOT t.id IN $excluded
    AND NOT coalesce(toLower(toString(t.private)) IN ['true', 'yes', 'y', '1'], false)
  WITH t, max(k.strength) AS strength
  ORDER BY strength DESC, t.id
  RETURN collect(CASE WHEN t IS NOT NULL THEN {id: t.id, name: t.name, strength: strength} END)
         AS known
}
RETURN members, reachable, known
