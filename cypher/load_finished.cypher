// load_finished: records that the load load_started announced has written everything.
// Returns nothing. Parameters: none
MATCH (l:LoadState {name: 'last'})
SET l.finished = datetime()
