package node

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/chunker/manifest"
	"github.com/swarm-project/swarm/node/apitype"
)

// scanned is one filesystem entry found by the walk, before hashing.
type scanned struct {
	entry   manifest.Entry
	abs     string
	modTime int64
}

// Add indexes a file or directory tree in place (nothing is copied),
// stores its manifest and pins it. Symlinks inside the tree are skipped,
// never followed; a symlink given as the path itself is resolved.
func (n *Node) Add(ctx context.Context, req apitype.AddRequest, progress func(apitype.Progress)) (*apitype.AddResult, error) {
	if !filepath.IsAbs(req.Path) {
		return nil, badRequest("add: path %q is not absolute", req.Path)
	}
	if err := checkEndpoints(req.Endpoints); err != nil {
		return nil, err
	}
	ctx, report, untrack := n.track(ctx, "add", req.Path, progress)
	defer untrack()
	start := time.Now()
	root, err := filepath.EvalSymlinks(req.Path)
	if err != nil {
		return nil, badRequest("add: %v", err)
	}
	m, files, skipped, err := scanTree(root, n.cfg.ChunkSize)
	if err != nil {
		return nil, err
	}
	h := &hasher{store: n.store, chunkSize: n.cfg.ChunkSize, total: m.TotalSize(), report: report, start: start}
	if err := h.hashAll(ctx, m, files); err != nil {
		return nil, err
	}
	rootCID, blocks, err := manifest.Encode(m)
	if err != nil {
		return nil, fmt.Errorf("encoding manifest: %w", err)
	}
	for _, b := range blocks {
		if err := n.store.PutBlock(ctx, b.CID, b.Data); err != nil {
			return nil, fmt.Errorf("storing manifest block: %w", err)
		}
	}
	name := req.Name
	if name == "" {
		name = m.Name
	}
	replaced, err := n.pinnedAs(ctx, name)
	if err != nil {
		return nil, err
	}
	if err := n.store.AddPin(ctx, catalog.Pin{Name: name, Root: rootCID, Added: time.Now()}); err != nil {
		return nil, err
	}
	if _, err := n.editEndpoints(ctx, rootCID, req.Endpoints, nil); err != nil {
		return nil, err
	}
	n.provide(rootCID)
	res := &apitype.AddResult{Root: rootCID.String(), Name: name, Bytes: m.TotalSize(),
		Skipped: skipped, Seconds: time.Since(start).Seconds()}
	if replaced.Defined() && !replaced.Equals(rootCID) {
		res.Replaced = replaced.String()
	}
	for _, e := range m.Entries {
		if e.Kind == manifest.KindDir {
			res.Dirs++
		} else {
			res.Files++
		}
	}
	n.log.Info("added", "path", root, "root", rootCID, "files", res.Files, "bytes", res.Bytes, "skipped", skipped)
	return res, nil
}

// scanTree walks root without following symlinks and returns the manifest
// skeleton (no chunks yet), the files to hash (indexes into m.Entries) and
// how many entries were skipped.
func scanTree(root string, chunkSize int) (*manifest.Manifest, []scanned, int, error) {
	fi, err := os.Stat(root)
	if err != nil {
		return nil, nil, 0, badRequest("add: %v", err)
	}
	m := &manifest.Manifest{Name: filepath.Base(root), ChunkSize: uint32(chunkSize)}
	if fi.Mode().IsRegular() {
		m.Root = manifest.KindFile
		s := scanned{abs: root, modTime: fi.ModTime().UnixNano(), entry: manifest.Entry{
			Path: m.Name, Kind: manifest.KindFile, Mode: uint32(fi.Mode().Perm()), Size: fi.Size()}}
		m.Entries = []manifest.Entry{s.entry}
		return m, []scanned{s}, 0, nil
	}
	if !fi.IsDir() {
		return nil, nil, 0, badRequest("add: %s is neither a regular file nor a directory", root)
	}
	m.Root = manifest.KindDir
	var all []scanned
	skipped := 0
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("add: %w", err)
		}
		if p == root {
			return nil
		}
		s, ok, err := scanOne(root, p, d)
		if err != nil {
			return err
		}
		if !ok {
			skipped++
			return nil
		}
		all = append(all, s)
		return nil
	})
	if err != nil {
		return nil, nil, 0, err
	}
	slices.SortFunc(all, func(a, b scanned) int { return strings.Compare(a.entry.Path, b.entry.Path) })
	m.Entries = make([]manifest.Entry, len(all))
	for i := range all {
		m.Entries[i] = all[i].entry
	}
	return m, all, skipped, nil
}

func scanOne(root, p string, d fs.DirEntry) (scanned, bool, error) {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return scanned{}, false, err
	}
	info, err := d.Info()
	if err != nil {
		return scanned{}, false, fmt.Errorf("add: %w", err)
	}
	e := manifest.Entry{Path: filepath.ToSlash(rel), Mode: uint32(info.Mode().Perm())}
	switch {
	case info.IsDir():
		e.Kind = manifest.KindDir
	case info.Mode().IsRegular():
		e.Kind, e.Size = manifest.KindFile, info.Size()
	default:
		return scanned{}, false, nil // symlink, device, socket, fifo: not in manifest v1
	}
	if err := manifest.ValidatePath(e.Path); err != nil {
		return scanned{}, false, fmt.Errorf("add: %s: %w", p, err)
	}
	return scanned{entry: e, abs: p, modTime: info.ModTime().UnixNano()}, true, nil
}

// pinnedAs returns the root pinned under name, or cid.Undef.
func (n *Node) pinnedAs(ctx context.Context, name string) (cid.Cid, error) {
	pins, err := n.store.Pins(ctx)
	if err != nil {
		return cid.Undef, err
	}
	for _, p := range pins {
		if p.Name == name {
			return p.Root, nil
		}
	}
	return cid.Undef, nil
}
