// load_sync_organizations: deletes the organizations nobody works at any more (after
// `powerconnect load --sync` deleted people). Returns one row: deleted. Parameters: none.
MATCH (o:Organization)
WHERE NOT EXISTS { (o)--() }
DELETE o
RETURN count(*) AS deleted
