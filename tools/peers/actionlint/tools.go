//go:build tools

// The wrapper module's only purpose: pin actionlint and everything it builds from.
package tools

import _ "github.com/rhysd/actionlint/cmd/actionlint"
