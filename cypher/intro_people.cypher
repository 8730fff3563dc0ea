// intro_people: for `recommend`, who may take part in an introduction and each person's
// power-connector score, in chunks (one row per $chunk people).
// Returns: ids, private (booleans: property `private` true/yes/1), scores (pc_score of the last
//   ranking run, or null): three aligned lists.
// Parameters: $chunk (int, people per row)
// Example in Browser: :param chunk => 1000
MATCH (p:Person)
WITH collect(p) AS people
UNWIND range(0, size(people) - 1, $chunk) AS i
WITH people[i..i + $chunk] AS chunk
RETURN [p IN chunk | p.id] AS ids,
       [p IN chunk |
         coalesce(toLower(toString(p.private)) IN ['true', 'yes', 'y', '1'], false)] AS private,
       [p IN chunk | p.pc_score] AS scores
