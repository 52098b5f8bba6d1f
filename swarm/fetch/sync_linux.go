package fetch

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncTree makes everything written under dir durable: one syncfs call
// instead of an fsync per file.
func syncTree(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}
