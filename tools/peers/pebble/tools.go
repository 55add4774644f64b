//go:build tools

// Pins Pebble (the ACME test server) and its DNS test server for go.mod; build.conf builds them.
package tools

import (
	_ "github.com/letsencrypt/pebble/v2/cmd/pebble"
	_ "github.com/letsencrypt/pebble/v2/cmd/pebble-challtestsrv"
)
