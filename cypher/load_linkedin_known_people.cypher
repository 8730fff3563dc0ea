// load_linkedin_known_people: people already in the database with one of the given LinkedIn
// profile URLs or email addresses (compared in lower case), so that an export merges with them.
// Returns one row per person: id, linkedin_url, email.
// Parameters: $urls, $emails (lists of lower-case strings).
MATCH (p:Person)
WHERE toLower(p.linkedin_url) IN $urls OR toLower(p.email) IN $emails
RETURN p.id AS id, p.linkedin_url AS linkedin_url, p.email AS email
