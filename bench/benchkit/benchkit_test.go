package benchkit

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	id := func(x float64) float64 { return x }
	for _, c := range []struct {
		in   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := Median(c.in, id); got != c.want {
			t.Errorf("Median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestLatest(t *testing.T) {
	type res struct {
		Name string    `json:"name"`
		Date time.Time `json:"date"`
		N    int       `json:"n"`
	}
	dir := t.TempDir()
	t0 := time.Unix(1000, 0)
	for i, r := range []res{{"a", t0, 1}, {"a", t0.Add(time.Hour), 2}, {"b", t0, 3}, {"", t0, 4}} {
		b, _ := json.Marshal(r)
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.json", i)), b, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "junk.json"), []byte("{"), 0o644)
	got, err := Latest(filepath.Join(dir, "*.json"), func(r *res) string { return r.Name }, func(r *res) time.Time { return r.Date })
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]int{}
	for _, r := range got {
		byName[r.Name] = r.N
	}
	if len(got) != 2 || byName["a"] != 2 || byName["b"] != 3 {
		t.Fatalf("got %v", byName)
	}
}

func TestLastJSONLine(t *testing.T) {
	out := []byte("warning: something\n{\"bytes\": 1}\n{\"bytes\": 2}\n\n")
	if got := string(LastJSONLine(out)); got != `{"bytes": 2}` {
		t.Errorf("got %q", got)
	}
	if LastJSONLine([]byte("no json here\n")) != nil {
		t.Error("found JSON in plain text")
	}
}
