package cli

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/swarm-project/swarm/node/apiclient"
	"github.com/swarm-project/swarm/node/apitype"
)

type addFlags struct {
	quiet     bool
	name      string
	endpoints []string
}

func newAddCmd(e *env) *cobra.Command {
	var f addFlags
	cmd := &cobra.Command{
		Use:   "add PATH",
		Short: "Index a file or directory in place (nothing is copied) and print its root CID",
		Long: `add cuts every file under PATH into chunks, names each by its BLAKE3 CID,
records where each chunk lives (the files are referenced in place, not
copied), writes a manifest and pins its root under a name (default: the base
name of PATH). Symlinks inside the tree are skipped and counted.

--endpoint records an HTTP(S) URL serving the same bytes (the file, or the
base URL of the tree) with the root; the node advertises it to peers that
download the root, who fetch from it too (see swarm endpoint).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runAdd(cmd.Context(), e, args[0], f) },
	}
	cmd.Flags().BoolVarP(&f.quiet, "quiet", "Q", false, "print only the root CID")
	cmd.Flags().StringVar(&f.name, "name", "", "pin name (default: base name of PATH)")
	cmd.Flags().StringArrayVar(&f.endpoints, "endpoint", nil, "HTTP(S) URL serving the same bytes, advertised to downloaders (repeatable)")
	return cmd
}

func runAdd(ctx context.Context, e *env, path string, f addFlags) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return &usageError{err.Error()}
	}
	return withClient(ctx, e, func(c *apiclient.Client) error {
		bar := newProgressBar(e.stderr, !f.quiet, "hashed")
		res, err := c.Add(ctx, apitype.AddRequest{Path: abs, Name: f.name, Endpoints: f.endpoints}, bar.update)
		bar.finish()
		if err != nil {
			return err
		}
		if res.Replaced != "" {
			fmt.Fprintf(e.stderr, "note: the name %q now pins %s; it pinned %s before\n", res.Name, res.Root, res.Replaced)
		}
		if f.quiet {
			fmt.Fprintln(e.stdout, res.Root)
			return nil
		}
		fmt.Fprintf(e.stdout, "added %s (%d files, %d dirs, %s) as %q in %.1fs\n",
			res.Root, res.Files, res.Dirs, humanBytes(res.Bytes), res.Name, res.Seconds)
		if res.Skipped > 0 {
			fmt.Fprintf(e.stderr, "note: skipped %d symlinks or special files (not part of manifest v1)\n", res.Skipped)
		}
		return nil
	})
}
