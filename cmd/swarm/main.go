// Command swarm moves big data fast: content-addressed, multi-source,
// verified transfers between Swarm nodes.
package main

import (
	"os"

	"github.com/swarm-project/swarm/cmd/swarm/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:])) }
