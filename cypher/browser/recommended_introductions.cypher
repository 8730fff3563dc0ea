// recommended_introductions: the introductions of the last `powerconnect recommend` run, best
// first, as a graph to look at in Neo4j Browser: each broker, the Introduction it can make, the
// two people it joins, and the broker's ties to them. Only introductions of finished runs (an
// :IntroductionRun with their run id) that no later run replaced (superseded), so a
// `recommend` stopped in the middle shows the previous introductions, not a mix.
// Returns: b, can, i, ia, a, ic, c, ka, kc (nodes and relationships, for the graph view).
// Parameters: $limit (int, how many introductions)
// Example in Browser: :param limit => 25
MATCH (b:Person)-[can:CAN_INTRODUCE]->(i:Introduction)-[ia:INTRODUCES]->(a:Person),
      (i)-[ic:TO]->(c:Person)
WHERE i.superseded IS NULL AND EXISTS { MATCH (r:IntroductionRun) WHERE r.id = i.run }
WITH b, can, i, ia, a, ic, c
ORDER BY i.score DESC, i.rank ASC
LIMIT $limit
OPTIONAL MATCH (b)-[ka:KNOWS]-(a)
OPTIONAL MATCH (b)-[kc:KNOWS]-(c)
RETURN b, can, i, ia, a, ic, c, ka, kc
