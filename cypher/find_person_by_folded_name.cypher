// find_person_by_folded_name: people whose name, in lower case, is the given one (for a
// name given in another case or spacing; engine/people.py compares the folded names again).
// Returns one row per person: id, name, organization.
// Parameters: $folded (the name, lower case, single spaces).
// Example in Browser: :param folded => 'ann lee'
MATCH (p:Person)
WHERE p.name IS NOT NULL AND toLower(trim(p.name)) STARTS WITH split($folded, ' ')[0]
RETURN p.id AS id, p.name AS name, p.organization AS organization
ORDER BY id
