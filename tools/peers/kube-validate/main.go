// kube-validate answers, offline, what a Kubernetes API server would answer to creating each of
// a list of objects: built-in kinds through kube-apiserver's own validation, custom resources
// through apiextensions-apiserver's (OpenAPI schema, defaulting, pruning, CEL rules) against the
// CRDs GKE installs, read from their pinned Go modules.
//
//	kube-validate            stdin: [{"id": "...", "object": {...}}, ...]
//	                         stdout: [{"id": "...", "errors": ["...", ...]}, ...] (same order)
//	kube-validate --sources  prints the pinned versions and the CRD files read
//
// Exit status 0 when every object was checked (with or without errors), 2 when it could not
// check (bad input, CRDs missing or refused).
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/yaml"
)

type input struct {
	ID     string          `json:"id"`
	Object json.RawMessage `json:"object"`
}

type result struct {
	ID     string   `json:"id"`
	Errors []string `json:"errors"`
}

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "kube-validate:", err)
		os.Exit(2)
	}
}

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	sources, err := crdSources()
	if err != nil {
		return err
	}
	if len(args) == 1 && args[0] == "--sources" {
		return printSources(stdout, sources)
	}
	if len(args) > 0 {
		return fmt.Errorf("usage: kube-validate [--sources] < objects.json")
	}
	kinds, err := loadCustomKinds(sources)
	if err != nil {
		return err
	}
	var inputs []input
	if err := json.NewDecoder(stdin).Decode(&inputs); err != nil {
		return fmt.Errorf("stdin: %w", err)
	}
	results := make([]result, 0, len(inputs))
	for _, in := range inputs {
		results = append(results, result{ID: in.ID, Errors: check(kinds, in.Object)})
	}
	encoder := json.NewEncoder(stdout)
	encoder.SetIndent("", "  ")
	return encoder.Encode(results)
}

// check returns the API server's errors for one object; a kind it knows no schema for is one.
func check(kinds map[schema.GroupVersionKind]*customKind, raw json.RawMessage) []string {
	// As the API server decodes: whole numbers become int64, not float64.
	var object map[string]interface{}
	if err := utiljson.Unmarshal(raw, &object); err != nil {
		return []string{err.Error()}
	}
	apiVersion, _ := object["apiVersion"].(string)
	kind, _ := object["kind"].(string)
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil || kind == "" {
		return []string{fmt.Sprintf("apiVersion %q and kind %q do not name a kind", apiVersion, kind)}
	}
	gvk := gv.WithKind(kind)
	if custom, ok := kinds[gvk]; ok {
		return orEmpty(custom.validate(object))
	}
	if isBuiltin(gvk) {
		return orEmpty(validateBuiltin(gvk, raw))
	}
	return []string{fmt.Sprintf("no schema for %s: neither a built-in kind this peer checks nor served by a CRD it reads", gvk)}
}

func loadCustomKinds(sources []crdSource) (map[schema.GroupVersionKind]*customKind, error) {
	overlay, err := loadOverlay()
	if err != nil {
		return nil, err
	}
	kinds := map[schema.GroupVersionKind]*customKind{}
	for _, source := range sources {
		for _, file := range source.Files {
			data, err := os.ReadFile(filepath.Join(source.root(), file))
			if err != nil {
				return nil, err
			}
			crd := &apiextensionsv1.CustomResourceDefinition{}
			if err := yaml.Unmarshal(data, crd); err != nil {
				return nil, fmt.Errorf("%s@%s/%s: %w", source.Module, source.Version, file, err)
			}
			if err := overlay.apply(crd); err != nil {
				return nil, err
			}
			versions, err := customKinds(crd, fmt.Sprintf("%s@%s/%s", source.Module, source.Version, file))
			if err != nil {
				return nil, err
			}
			for _, version := range versions {
				kinds[version.gvk] = version
			}
		}
	}
	return kinds, nil
}

func printSources(stdout io.Writer, sources []crdSource) error {
	kubernetes, err := pinnedVersion("k8s.io/kubernetes")
	if err != nil {
		return err
	}
	apiextensions, err := pinnedVersion("k8s.io/apiextensions-apiserver")
	if err != nil {
		return err
	}
	info, _ := debug.ReadBuildInfo()
	encoder := json.NewEncoder(stdout)
	encoder.SetIndent("", "  ")
	return encoder.Encode(map[string]interface{}{
		"go":                     info.GoVersion,
		"kubernetes":             kubernetes,
		"apiextensionsApiserver": apiextensions,
		"crds":                   sources,
	})
}

func errorStrings(errs field.ErrorList) []string {
	messages := make([]string, 0, len(errs))
	for _, err := range errs {
		messages = append(messages, err.Error())
	}
	return messages
}

func unknownField(path string) string {
	return fmt.Sprintf("unknown field %q", path)
}

func orEmpty(messages []string) []string {
	if messages == nil {
		return []string{}
	}
	return messages
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
