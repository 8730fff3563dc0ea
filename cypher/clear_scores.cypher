// clear_scores: removes the previous run's results from every person, so a new run replaces them.
// Returns nothing. Parameters: none. Runs in batches (auto-commit transaction).
MATCH (p:Person) WHERE p.pc_run IS NOT NULL
CALL (p) {
  REMOVE p.pc_run, p.pc_rank, p.pc_score, p.pc_role, p.pc_constraint, p.pc_effective_size,
         p.pc_efficiency, p.pc_hierarchy, p.pc_strong_ties, p.pc_weak_ties, p.pc_groups_bridged,
         p.pc_open_pairs, p.pc_simmelian_ties, p.pc_group, p.pc_explanation
  REMOVE p:PowerConnector, p:MegaConnector, p:LocalHub
} IN TRANSACTIONS OF 10000 ROWS
