package api

import (
	"net/http"

	"github.com/swarm-project/swarm/node/apitype"
)

func (s *Server) bans(w http.ResponseWriter, r *http.Request) {
	bs, err := s.svc.Bans(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, bs)
}

func (s *Server) clearBans(w http.ResponseWriter, r *http.Request) {
	var req apitype.ClearBans
	if !decode(w, r, &req) {
		return
	}
	n, err := s.svc.ClearBans(r.Context(), req.Peers)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, apitype.Cleared{Cleared: n})
}
