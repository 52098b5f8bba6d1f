package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/swarm-project/swarm/node/apiclient"
)

func newPinCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "pin", Short: "Named roots kept by the node"}
	cmd.AddCommand(&cobra.Command{
		Use:   "ls",
		Short: "List pinned roots: CID, name, when added",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runPinLs(cmd.Context(), e) },
	})
	return cmd
}

func runPinLs(ctx context.Context, e *env) error {
	return withClient(ctx, e, func(c *apiclient.Client) error {
		pins, err := c.Pins(ctx)
		if err != nil {
			return err
		}
		for _, p := range pins {
			fmt.Fprintf(e.stdout, "%s\t%s\t%s\n", p.Root, p.Name, p.Added)
		}
		return nil
	})
}
