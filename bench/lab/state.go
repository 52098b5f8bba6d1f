package lab

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// namePrefix starts the name of every namespace a lab creates.
const namePrefix = "swl-"

// state is what a running lab records so that a later run can remove it.
type state struct {
	ID        string   `json:"id"`
	PID       int      `json:"pid"`
	StartTime string   `json:"start_time"` // field 22 of /proc/PID/stat
	Netns     []string `json:"netns"`
}

// DefaultStateDir is /run/swarm-wanlab when /run is writable, else a
// directory under the temp directory.
func DefaultStateDir() string {
	if err := os.MkdirAll("/run/swarm-wanlab", 0o755); err == nil {
		return "/run/swarm-wanlab"
	}
	return filepath.Join(os.TempDir(), "swarm-wanlab")
}

func writeState(dir string, s state) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, s.ID+".json")
	return p, os.WriteFile(p, b, 0o644)
}

// procStartTime identifies a process instance, so a reused PID is not
// taken for the lab's owner.
func procStartTime(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return ""
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 20 {
		return ""
	}
	return f[19]
}

func (s state) alive() bool {
	st := procStartTime(s.PID)
	return st != "" && st == s.StartTime
}

// Down removes labs recorded in dir whose process is gone; with all, it
// removes every lab recorded there and every namespace named swl-*, live
// or not. It returns the namespaces removed.
func Down(ctx context.Context, dir string, all bool) ([]string, error) {
	if dir == "" {
		dir = DefaultStateDir()
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	var removed []string
	var errs []error
	for _, f := range files {
		var s state
		b, err := os.ReadFile(f)
		if err == nil {
			err = json.Unmarshal(b, &s)
		}
		if err == nil && !all && s.alive() {
			continue
		}
		for _, ns := range s.Netns {
			if err := removeNetns(ctx, ns); err != nil {
				errs = append(errs, err)
			} else {
				removed = append(removed, ns)
			}
		}
		os.Remove(f)
	}
	if all {
		names, _ := listNetns(ctx)
		for _, ns := range names {
			if strings.HasPrefix(ns, namePrefix) {
				if err := removeNetns(ctx, ns); err != nil {
					errs = append(errs, err)
				} else {
					removed = append(removed, ns)
				}
			}
		}
	}
	return removed, errors.Join(errs...)
}
