// Package benchkit holds what the benchmark harnesses share: statistics,
// the configuration of the HTTP baseline server, the newest result per key
// and the --json summary in a CLI's output.
package benchkit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Median of f over xs (the mean of the middle two for an even count; 0 for
// none).
func Median[T any](xs []T, f func(T) float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	v := make([]float64, len(xs))
	for i, x := range xs {
		v[i] = f(x)
	}
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// NginxPort is where the HTTP baseline listens inside a lab namespace.
const NginxPort = "8080"

// NginxConf is an nginx configuration serving one directory from one
// process with sendfile and no logs. Format it with: the run directory
// (pid, logs, temp), the listen address, NginxPort, the served directory.
const NginxConf = `daemon off;
master_process off;
worker_processes 1;
error_log %[1]s/error.log warn;
pid %[1]s/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path %[1]s/tmp;
  proxy_temp_path %[1]s/tmp;
  fastcgi_temp_path %[1]s/tmp;
  uwsgi_temp_path %[1]s/tmp;
  scgi_temp_path %[1]s/tmp;
  server {
    listen %[2]s:%[3]s;
    root %[4]s;
  }
}
`

// Latest reads the JSON result files matching pattern and keeps, for each
// key, the one with the newest date. Files that are not results of this
// kind (unparsable, or with an empty key) are skipped.
func Latest[T any](pattern string, key func(*T) string, date func(*T) time.Time) ([]*T, error) {
	files, err := filepath.Glob(pattern)
	if err != nil {
		return nil, err
	}
	latest := map[string]*T{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		r := new(T)
		if json.Unmarshal(b, r) != nil || key(r) == "" {
			continue
		}
		if old, ok := latest[key(r)]; !ok || date(r).After(date(old)) {
			latest[key(r)] = r
		}
	}
	out := make([]*T, 0, len(latest))
	for _, r := range latest {
		out = append(out, r)
	}
	return out, nil
}

// LastJSONLine returns the last line of out that looks like a JSON object
// (a CLI's --json summary after its progress lines), or nil.
func LastJSONLine(out []byte) []byte {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); strings.HasPrefix(l, "{") {
			return []byte(l)
		}
	}
	return nil
}
