// explain_person: one person's stored ranking, from the last `powerconnect rank` run.
// Returns one row (none if no person has id $id): id, name, rank, role, score, constraint,
//   effective_size, efficiency, hierarchy, strong_ties, weak_ties, groups_bridged,
//   open_pairs, simmelian_ties, group, explanation (null until a run has ranked the person), and the run's
//   run, strong (the threshold used) and group_by (null: detected communities).
// Parameters: $id (string)
// Example in Browser: :param id => 'p00115'
MATCH (p:Person {id: $id})
OPTIONAL MATCH (r:Run)
RETURN p.id AS id, p.name AS name, p.pc_rank AS rank, p.pc_role AS role, p.pc_score AS score,
       p.pc_constraint AS constraint, p.pc_effective_size AS effective_size,
       p.pc_efficiency AS efficiency, p.pc_hierarchy AS hierarchy,
       p.pc_strong_ties AS strong_ties, p.pc_weak_ties AS weak_ties,
       p.pc_groups_bridged AS groups_bridged, p.pc_open_pairs AS open_pairs,
       p.pc_simmelian_ties AS simmelian_ties,
       p.pc_group AS group, p.pc_explanation AS explanation,
       r.id AS run, r.strong AS strong, r.group_by AS group_by
LIMIT 1
