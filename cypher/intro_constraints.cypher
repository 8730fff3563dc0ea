// intro_constraints: the schema `recommend` writes into, created if missing: Introduction ids
// are unique. Returns nothing. Parameters: none.
CREATE CONSTRAINT introduction_id IF NOT EXISTS FOR (i:Introduction) REQUIRE i.id IS UNIQUE
