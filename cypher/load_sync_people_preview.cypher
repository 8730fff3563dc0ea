// load_sync_people_preview: what load_sync_people would delete, for `powerconnect load --sync
// --dry-run`; reads only. Returns one row: ids (of the people the people file no longer
// lists) and ties (how many ties would go with them, each counted once).
// Parameters: $keep (the ids of the people file, a list of strings).
MATCH (p:Person)
WHERE NOT p.id IN $keep
OPTIONAL MATCH (p)-[k:KNOWS]-(:Person)
RETURN collect(DISTINCT p.id) AS ids, count(DISTINCT k) AS ties
