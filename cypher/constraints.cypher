// constraints: the schema powerconnect relies on, created if missing (the indexes on name,
// email and linkedin_url serve engine/people.py, which finds a person by any of them).
// Returns nothing. Parameters: none. Statements are separated by ";" and run one by one.
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (p:Person) REQUIRE p.id IS UNIQUE;
CREATE CONSTRAINT organization_name IF NOT EXISTS FOR (o:Organization) REQUIRE o.name IS UNIQUE;
CREATE CONSTRAINT run_id IF NOT EXISTS FOR (r:Run) REQUIRE r.id IS UNIQUE;
CREATE INDEX person_name IF NOT EXISTS FOR (p:Person) ON (p.name);
CREATE INDEX person_email IF NOT EXISTS FOR (p:Person) ON (p.email);
CREATE INDEX person_linkedin_url IF NOT EXISTS FOR (p:Person) ON (p.linkedin_url);
