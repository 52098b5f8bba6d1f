//go:build unix && !linux

package fetch

import "golang.org/x/sys/unix"

// syncTree makes everything written under dir durable. Without syncfs
// (macOS, the BSDs) that is sync(2): every filesystem's dirty data, more
// than dir's, which costs time at a journal checkpoint, never data.
func syncTree(dir string) error {
	unix.Sync()
	return nil
}
