package api

import (
	"encoding/json"
	"net/http"
	"sync"

	"github.com/swarm-project/swarm/node/apitype"
)

const maxBody = 1 << 20

func (s *Server) id(w http.ResponseWriter, r *http.Request) { writeJSON(w, s.svc.ID()) }

func (s *Server) pins(w http.ResponseWriter, r *http.Request) {
	ps, err := s.svc.Pins(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, ps)
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	st, err := s.svc.Status(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, st)
}

func (s *Server) ls(w http.ResponseWriter, r *http.Request) {
	out, err := s.svc.Ls(r.Context(), r.PathValue("cid"), r.URL.Query()["peer"], r.URL.Query()["gateway"])
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, out)
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, &apitype.Error{Code: apitype.CodeUsage, Message: "bad request body: " + err.Error()})
		return false
	}
	return true
}

// eventStream writes NDJSON events, flushing each; safe for concurrent use
// (progress callbacks may come from another goroutine).
type eventStream struct {
	mu  sync.Mutex
	w   http.ResponseWriter
	enc *json.Encoder
}

func newEventStream(w http.ResponseWriter) *eventStream {
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	return &eventStream{w: w, enc: json.NewEncoder(w)}
}

func (es *eventStream) send(ev apitype.Event) {
	es.mu.Lock()
	defer es.mu.Unlock()
	_ = es.enc.Encode(ev)
	if f, ok := es.w.(http.Flusher); ok {
		f.Flush()
	}
}

func (es *eventStream) progress(p apitype.Progress) {
	es.send(apitype.Event{Type: "progress", Progress: &p})
}

func (s *Server) add(w http.ResponseWriter, r *http.Request) {
	var req apitype.AddRequest
	if !decode(w, r, &req) {
		return
	}
	es := newEventStream(w)
	res, err := s.svc.Add(r.Context(), req, es.progress)
	if err != nil {
		es.send(apitype.Event{Type: "error", Error: s.classify(err)})
		return
	}
	es.send(apitype.Event{Type: "done", Add: res})
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	var req apitype.GetRequest
	if !decode(w, r, &req) {
		return
	}
	es := newEventStream(w)
	res, err := s.svc.Get(r.Context(), req, es.progress)
	if err != nil {
		es.send(apitype.Event{Type: "error", Error: s.classify(err), Get: res})
		return
	}
	es.send(apitype.Event{Type: "done", Get: res})
}
