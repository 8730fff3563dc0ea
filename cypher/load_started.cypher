// load_started: records that a load is writing (one (:LoadState {name: 'last'}) node, its
// `finished` removed until load_finished sets it), so that `powerconnect info` can tell a load
// that stopped in the middle. Returns nothing. Parameters: $source (what is loaded: csv,
// interactions, linkedin)
MERGE (l:LoadState {name: 'last'})
SET l.started = datetime(), l.source = $source, l.finished = null
