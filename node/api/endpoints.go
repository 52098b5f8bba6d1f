package api

import (
	"net/http"

	"github.com/swarm-project/swarm/node/apitype"
)

func (s *Server) endpoints(w http.ResponseWriter, r *http.Request) {
	out, err := s.svc.Endpoints(r.Context(), r.PathValue("cid"))
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, out)
}

func (s *Server) editEndpoints(w http.ResponseWriter, r *http.Request) {
	var req apitype.EndpointsRequest
	if !decode(w, r, &req) {
		return
	}
	out, err := s.svc.EditEndpoints(r.Context(), r.PathValue("cid"), req)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, out)
}
