package main

// Where the CRDs come from: the Go modules this program is built with, read from the module
// cache at the versions go.mod pins (the build records them; go.sum verified them when they were
// downloaded). Nothing of them is copied into the repository.

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"

	"golang.org/x/mod/module"

	// Imported so that the build pins these modules and records their versions; their CRDs
	// are what is read.
	_ "github.com/GoogleCloudPlatform/gke-gateway-api/apis/networking/v1"
	_ "sigs.k8s.io/gateway-api/apis/v1"
)

// moduleCache is set at build time (build.conf) to the go command's GOMODCACHE.
var moduleCache string

// crdSource is a directory of CRD files inside one pinned module.
type crdSource struct {
	Module  string `json:"module"`
	Version string `json:"version"`
	Dir     string `json:"dir"`
	// Files are the CRD files read, relative to the module.
	Files []string `json:"files"`
}

// The CRDs GKE installs: its own policy kinds, and the Gateway API standard channel
// (gatewayApiConfig.channel CHANNEL_STANDARD).
var crdDirs = []struct{ module, dir string }{
	{"github.com/GoogleCloudPlatform/gke-gateway-api", "config/crd"},
	{"sigs.k8s.io/gateway-api", "config/crd/standard"},
}

// pinnedVersion is the version of a module this binary was built with.
func pinnedVersion(path string) (string, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", fmt.Errorf("no build information in this binary")
	}
	for _, dep := range info.Deps {
		if dep.Path == path {
			// go.mod may point a module at a published version of itself (the wrapper does so
			// for k8s.io/kubernetes's staging modules); never at a directory.
			if dep.Replace != nil {
				if dep.Replace.Version == "" {
					return "", fmt.Errorf("%s is replaced by a directory; only published versions are read", path)
				}
				return dep.Replace.Version, nil
			}
			return dep.Version, nil
		}
	}
	return "", fmt.Errorf("%s is not a dependency of this binary", path)
}

// cacheDir is the module cache: GOMODCACHE when set, else the one the binary was built with.
func cacheDir() string {
	if env := os.Getenv("GOMODCACHE"); env != "" {
		return env
	}
	return moduleCache
}

func crdSources() ([]crdSource, error) {
	cache := cacheDir()
	if cache == "" {
		return nil, fmt.Errorf("no module cache: build with tools/peers/build.sh, or set GOMODCACHE")
	}
	var sources []crdSource
	for _, entry := range crdDirs {
		version, err := pinnedVersion(entry.module)
		if err != nil {
			return nil, err
		}
		escaped, err := module.EscapePath(entry.module)
		if err != nil {
			return nil, err
		}
		root := filepath.Join(cache, escaped+"@"+version)
		files, err := filepath.Glob(filepath.Join(root, entry.dir, "*.yaml"))
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("no CRDs in %s: run `go mod download %s@%s` in tools/peers/kube-validate", filepath.Join(root, entry.dir), entry.module, version)
		}
		sort.Strings(files)
		source := crdSource{Module: entry.module, Version: version, Dir: entry.dir}
		for _, file := range files {
			rel, _ := filepath.Rel(root, file)
			source.Files = append(source.Files, rel)
		}
		sources = append(sources, source)
	}
	return sources, nil
}

func (s crdSource) root() string {
	escaped, _ := module.EscapePath(s.Module)
	return filepath.Join(cacheDir(), escaped+"@"+s.Version)
}
