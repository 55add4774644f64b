//go:build tools

// The wrapper module's only purpose: pin crane and everything it builds from.
package tools

import _ "github.com/google/go-containerregistry/cmd/crane"
