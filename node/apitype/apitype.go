// Package apitype holds the JSON types of the node's local HTTP API, shared
// by the server (node/api) and the client (node/apiclient). See
// docs/spec/api.md.
package apitype

// Error codes carried by Error.Code; the CLI maps them to exit codes.
const (
	CodeUsage       = "usage"       // bad request: malformed CID, missing field
	CodeNotFound    = "not_found"   // no source has the content
	CodeInvalid     = "invalid"     // content failed validation: not a manifest, hostile manifest
	CodeIO          = "io"          // local filesystem: destination exists, not writable, disk full
	CodeInterrupted = "interrupted" // cancelled; resumable
	CodeInternal    = "internal"
)

// Error is the body of a failed request, or the last event of a stream.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ID answers GET /v1/id.
type ID struct {
	ID    string   `json:"id"`
	Addrs []string `json:"addrs"`
}

// AddRequest is the body of POST /v1/add.
type AddRequest struct {
	Path string `json:"path"` // absolute
	Name string `json:"name,omitempty"`
	// Endpoints are HTTP(S) URLs serving the content's bytes, recorded with
	// the root and advertised to peers that download it.
	Endpoints []string `json:"endpoints,omitempty"`
}

// GetRequest is the body of POST /v1/get.
type GetRequest struct {
	CID   string   `json:"cid"`
	Out   string   `json:"out"` // absolute destination path
	Peers []string `json:"peers,omitempty"`
	// Endpoints are HTTP(S) URLs serving the content's bytes (a file, or the
	// base of a directory tree), fetched by range and verified.
	Endpoints []string `json:"endpoints,omitempty"`
	// Gateways are IPFS trustless gateways (base URLs) serving raw blocks by
	// CID: chunks, and the manifest when no peer has it. Verified.
	Gateways []string `json:"gateways,omitempty"`
	// NoPeerEndpoints: do not fetch from the endpoints peers advertise for
	// the root (by default they are used, verified like any source).
	NoPeerEndpoints bool `json:"no_peer_endpoints,omitempty"`
	// Policy, Rate and MinRate (bytes/s) ask each swarmrc peer to send this
	// download with that policy, at most Rate and at least MinRate (each
	// peer caps them by its own --max-upload-rate). Empty: the peer's own.
	Policy  string  `json:"policy,omitempty"`
	Rate    float64 `json:"rate,omitempty"`
	MinRate float64 `json:"min_rate,omitempty"`
}

// Event is one line of the NDJSON stream /v1/add and /v1/get answer with:
// any number of "progress" events, then one "done" or "error".
type Event struct {
	Type     string     `json:"type"` // progress, done, error
	Progress *Progress  `json:"progress,omitempty"`
	Add      *AddResult `json:"add,omitempty"`
	Get      *GetResult `json:"get,omitempty"`
	Error    *Error     `json:"error,omitempty"`
}

// Progress of an add (bytes hashed) or a get (bytes verified).
type Progress struct {
	Bytes   int64        `json:"bytes"`
	Total   int64        `json:"total"`
	Resumed int64        `json:"resumed,omitempty"`
	Seconds float64      `json:"seconds"`
	Sources []SourceStat `json:"sources,omitempty"`
}

// SourceStat is one source's share of a get.
type SourceStat struct {
	Name    string `json:"name"`
	Bytes   int64  `json:"bytes"`
	Chunks  int    `json:"chunks"`
	Dropped string `json:"dropped,omitempty"`
}

// AddResult is the outcome of an add.
type AddResult struct {
	Root    string  `json:"root"`
	Name    string  `json:"name"`
	Files   int     `json:"files"`
	Dirs    int     `json:"dirs"`
	Bytes   int64   `json:"bytes"`
	Skipped int     `json:"skipped"` // symlinks and special files not added
	Seconds float64 `json:"seconds"`
	// Replaced is the root the name pinned before, if another: the name
	// moved (that root stays in the index, unnamed).
	Replaced string `json:"replaced,omitempty"`
}

// GetResult is the outcome of a get.
type GetResult struct {
	Root        string       `json:"root"`
	Dest        string       `json:"dest"`
	Bytes       int64        `json:"bytes"`   // fetched in this run
	Resumed     int64        `json:"resumed"` // already verified from an earlier run
	Total       int64        `json:"total"`
	Seconds     float64      `json:"seconds"`
	GoodputMbps float64      `json:"goodput_mbps"`
	Sources     []SourceStat `json:"sources"`
}

// Entry is one line of GET /v1/ls/{cid}.
type Entry struct {
	Path   string `json:"path"`
	Kind   string `json:"kind"` // file, dir
	Mode   string `json:"mode"`
	Size   int64  `json:"size"`
	Chunks int    `json:"chunks"`
}

// Ls answers GET /v1/ls/{cid}.
type Ls struct {
	Root      string  `json:"root"`
	Name      string  `json:"name"`
	ChunkSize uint32  `json:"chunk_size"`
	Entries   []Entry `json:"entries"`
}

// Pin is one named root.
type Pin struct {
	Name  string `json:"name"`
	Root  string `json:"root"`
	Added string `json:"added"`
}

// Ban is a peer the node remembers as bad (it served corrupt data) and
// does not download from until Until (RFC 3339).
type Ban struct {
	Peer   string `json:"peer"`
	Reason string `json:"reason"`
	Since  string `json:"since"`
	Until  string `json:"until"`
}

// ClearBans is the body of POST /v1/bans/clear: the peers to forget, or
// every banned peer when empty.
type ClearBans struct {
	Peers []string `json:"peers,omitempty"`
}

// Cleared answers POST /v1/bans/clear.
type Cleared struct {
	Cleared int `json:"cleared"`
}

// Endpoints answers GET and POST /v1/endpoints/{cid}: the HTTP(S) URLs
// recorded for a root.
type Endpoints struct {
	Root      string   `json:"root"`
	Endpoints []string `json:"endpoints"`
}

// EndpointsRequest is the body of POST /v1/endpoints/{cid}: URLs to record
// and URLs to forget.
type EndpointsRequest struct {
	Add    []string `json:"add,omitempty"`
	Remove []string `json:"remove,omitempty"`
}

// Status answers GET /v1/status.
type Status struct {
	ID        string     `json:"id"`
	Addrs     []string   `json:"addrs"`
	Peers     int        `json:"peers"`
	Chunks    int64      `json:"chunks"`
	Blobs     int64      `json:"blobs"`
	BlobBytes int64      `json:"blob_bytes"`
	Pins      int64      `json:"pins"`
	Journals  int64      `json:"journals"`
	Transfers []Transfer `json:"transfers"`
	Sessions  []Session  `json:"sessions"`
	// SessionTotals sums the swarmrc sessions since the daemon started,
	// ended ones included.
	SessionTotals SessionTotals `json:"session_totals"`
	// TransportMemory is the swarmrc connections' shared buffer budget.
	TransportMemory TransportMemory `json:"transport_memory"`
	Uptime          float64         `json:"uptime_seconds"`
}

// TransportMemory is the budget of bytes swarmrc connections buffer
// (sent but unacknowledged, received past a hole, datagrams queued for
// processing): its limit, what is held
// now and at most since the daemon started, and how often a connection
// was refused memory (a datagram dropped for the peer to send again, or a
// write held back).
type TransportMemory struct {
	Limit   int64 `json:"limit_bytes"`
	Used    int64 `json:"used_bytes"`
	Peak    int64 `json:"peak_bytes"`
	Refused int64 `json:"refused"`
}

// SessionTotals are byte counts over every swarmrc session of a daemon.
type SessionTotals struct {
	BytesSent    int64 `json:"bytes_sent"`
	BytesRetrans int64 `json:"bytes_retransmitted"` // redundant copies of small flights included
	BytesRecv    int64 `json:"bytes_received"`
}

// Session is a live swarmrc (rate-controlled UDP) connection.
type Session struct {
	Remote       string  `json:"remote"`
	Policy       string  `json:"policy"`
	Mode         string  `json:"mode"`
	RateMbps     float64 `json:"rate_mbps"` // pacing rate of what this node sends, datagrams (swarmrc headers included)
	RTTms        float64 `json:"rtt_ms"`
	BaseRTTms    float64 `json:"base_rtt_ms"`
	Loss         float64 `json:"loss"`           // smoothed loss rate seen by the controller
	Datagram     int     `json:"datagram_bytes"` // largest datagram the path was found to carry
	BytesSent    int64   `json:"bytes_sent"`
	BytesRetrans int64   `json:"bytes_retransmitted"`
	BytesRecv    int64   `json:"bytes_received"`
}

// Transfer is a running add or get.
type Transfer struct {
	Kind     string   `json:"kind"` // add, get
	Target   string   `json:"target"`
	Progress Progress `json:"progress"`
}

// Error makes *Error an error, so it crosses the API intact.
func (e *Error) Error() string { return e.Message }
