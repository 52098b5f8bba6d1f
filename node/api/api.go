// Package api is the node's local HTTP API: JSON requests, NDJSON event
// streams for long operations. It declares the Service it needs; the node
// implements it. Every request must carry the repo's API token. See
// docs/spec/api.md.
package api

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/swarm-project/swarm/node/apitype"
)

// TokenHeader carries the API token.
const TokenHeader = "X-Swarm-Token"

// Service is what the API exposes. Errors should be *apitype.Error or be
// classified by the Classify func given to New.
type Service interface {
	ID() apitype.ID
	Add(ctx context.Context, req apitype.AddRequest, progress func(apitype.Progress)) (*apitype.AddResult, error)
	Get(ctx context.Context, req apitype.GetRequest, progress func(apitype.Progress)) (*apitype.GetResult, error)
	Ls(ctx context.Context, root string, peers, gateways []string) (*apitype.Ls, error)
	Pins(ctx context.Context) ([]apitype.Pin, error)
	Bans(ctx context.Context) ([]apitype.Ban, error)
	ClearBans(ctx context.Context, peers []string) (int, error)
	Endpoints(ctx context.Context, root string) (*apitype.Endpoints, error)
	EditEndpoints(ctx context.Context, root string, req apitype.EndpointsRequest) (*apitype.Endpoints, error)
	Status(ctx context.Context) (*apitype.Status, error)
}

// Server serves the API on one listener.
type Server struct {
	svc      Service
	classify func(error) *apitype.Error
	token    string
	log      *slog.Logger
	srv      *http.Server
	done     chan struct{}
}

// New returns a server; Serve starts it.
func New(svc Service, token string, classify func(error) *apitype.Error, log *slog.Logger) *Server {
	s := &Server{svc: svc, token: token, classify: classify, log: log, done: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/id", s.id)
	mux.HandleFunc("POST /v1/add", s.add)
	mux.HandleFunc("POST /v1/get", s.get)
	mux.HandleFunc("GET /v1/ls/{cid}", s.ls)
	mux.HandleFunc("GET /v1/pins", s.pins)
	mux.HandleFunc("GET /v1/bans", s.bans)
	mux.HandleFunc("POST /v1/bans/clear", s.clearBans)
	mux.HandleFunc("GET /v1/endpoints/{cid}", s.endpoints)
	mux.HandleFunc("POST /v1/endpoints/{cid}", s.editEndpoints)
	mux.HandleFunc("GET /v1/status", s.status)
	s.srv = &http.Server{Handler: s.auth(mux), ReadHeaderTimeout: 10 * time.Second}
	return s
}

// Serve runs until Close; it owns one goroutine per connection (net/http's).
func (s *Server) Serve(ln net.Listener) error {
	defer close(s.done)
	err := s.srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Close stops accepting, cancels running requests and waits for Serve.
func (s *Server) Close() error {
	err := s.srv.Close()
	<-s.done
	return err
}

func (s *Server) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get(TokenHeader)), []byte(s.token)) != 1 {
			writeError(w, http.StatusUnauthorized, &apitype.Error{Code: apitype.CodeUsage, Message: "missing or wrong API token"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, e *apitype.Error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(e)
}

func (s *Server) fail(w http.ResponseWriter, err error) {
	e := s.classify(err)
	status := http.StatusInternalServerError
	switch e.Code {
	case apitype.CodeUsage:
		status = http.StatusBadRequest
	case apitype.CodeNotFound:
		status = http.StatusNotFound
	case apitype.CodeInvalid:
		status = http.StatusUnprocessableEntity
	}
	writeError(w, status, e)
}
