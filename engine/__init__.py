"""powerconnect's engine: the database seam, the structural-hole measures and the ranking."""
