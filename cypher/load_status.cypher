// load_status: the last load's state, for `powerconnect info`: when it started, what it loaded,
// and when it finished (null: it stopped in the middle, or is still running).
// Returns zero rows (no load recorded) or one: started, source, finished (strings or null).
// Parameters: none
MATCH (l:LoadState {name: 'last'})
RETURN toString(l.started) AS started, l.source AS source, toString(l.finished) AS finished
