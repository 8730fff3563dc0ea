// find_person: the people a user's reference may name: the person with that id, those with
// that LinkedIn profile URL, those with that e-mail address, and those with exactly that name.
// Returns one row per (person, way matched): id, name, organization, matched ('id', 'url',
// 'email' or 'name'); engine/people.py takes the first way that finds anyone.
// Parameters: $ref (the text as given), $urls (the profile URL in load-linkedin's spelling, or
//   an empty list), $emails (the address as given and in lower case, or an empty list).
// Example in Browser: :param ref => 'Ann Lee'; :param urls => []; :param emails => []
CALL () {
  MATCH (p:Person {id: $ref})
  RETURN p, 'id' AS matched
  UNION
  UNWIND $urls AS url
  MATCH (p:Person {linkedin_url: url})
  RETURN p, 'url' AS matched
  UNION
  UNWIND $emails AS email
  MATCH (p:Person {email: email})
  RETURN p, 'email' AS matched
  UNION
  MATCH (p:Person {name: $ref})
  RETURN p, 'name' AS matched
}
RETURN p.id AS id, p.name AS name, p.organization AS organization, matched
ORDER BY id
