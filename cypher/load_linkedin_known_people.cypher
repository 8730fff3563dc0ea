// load_linkedin_known_people: people already in the database with one of the given LinkedIn
// profile URLs, email addresses (compared in lower case) or LinkedIn connection keys
// ("name|YYYY-MM-DD", see loaders/linkedin.py), so that an export merges with them.
// Returns one row per person: id, linkedin_url, email, linkedin_keys (list or null).
// Parameters: $urls, $emails, $keys (lists of lower-case strings).
MATCH (p:Person)
WHERE toLower(p.linkedin_url) IN $urls OR toLower(p.email) IN $emails
   OR any(k IN coalesce(p.linkedin_keys, []) WHERE k IN $keys)
RETURN p.id AS id, p.linkedin_url AS linkedin_url, p.email AS email,
       p.linkedin_keys AS linkedin_keys
