// load_people_by_email: people already in the database known by one of the given e-mail
// addresses, in `email` or in the list `emails` (compared in lower case), so that mail,
// calendar and contacts loads resolve an address to that person.
// Returns one row per person: id, email, emails (a list, empty when the person has none).
// Parameters: $emails (a list of lower-case strings).
MATCH (p:Person)
WHERE toLower(p.email) IN $emails
   OR any(e IN coalesce(p.emails, []) WHERE toLower(e) IN $emails)
RETURN p.id AS id, p.email AS email, coalesce(p.emails, []) AS emails
