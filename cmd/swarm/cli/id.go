package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/swarm-project/swarm/node/apiclient"
)

func newIDCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "id",
		Short: "Print the node's peer ID and listen multiaddrs",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runID(cmd.Context(), e, asJSON) },
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"id": "...", "addrs": ["..."]}`)
	return cmd
}

func runID(ctx context.Context, e *env, asJSON bool) error {
	return withClient(ctx, e, func(c *apiclient.Client) error {
		id, err := c.ID(ctx)
		if err != nil {
			return err
		}
		if asJSON {
			return json.NewEncoder(e.stdout).Encode(id)
		}
		fmt.Fprintln(e.stdout, id.ID)
		for _, a := range id.Addrs {
			fmt.Fprintln(e.stdout, a)
		}
		return nil
	})
}
