package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/swarm-project/swarm/node/config"
)

func newInitCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "init",
		Short: "Create a repo: an Ed25519 identity and a config file",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runInit(cmd.Context(), e) },
	}
}

func runInit(_ context.Context, e *env) error {
	repo, err := config.RepoDir(e.repoFlag)
	if err != nil {
		return &usageError{err.Error()}
	}
	if err := config.Init(repo, config.Default()); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "initialised swarm repo in %s\n", repo)
	return nil
}
