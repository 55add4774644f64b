// schema-facts reads a provider's Go source (never builds or runs it) and prints, as JSON, what
// makes the provider re-create a resource:
//
//	schema-facts terraform --root DIR --dirs GLOB[,GLOB] --resources a,b [--provider NAME]
//	    Terraform providers: SDKv2 ForceNew attributes and nested blocks, CustomizeDiff
//	    ForceNewIf*/ForceNew rules, plugin-framework RequiresReplace* plan modifiers. Resources
//	    are found by their registration (registry.Schema{Name: ...}, @SDKResource("...")), or for
//	    the framework by Metadata's `req.ProviderTypeName + "_x"` with --provider as the prefix.
//	schema-facts kubernetes --root DIR --file pkg/provider/diff.go --kinds apps/v1/Deployment,v1/Service
//	    pulumi-kubernetes: the fields whose change replaces an object.
//
// Limits: schemas are read where they are literals, package variables or constants, or values
// returned by a function whose body ends in `return X` (with simple assignments before it), and
// through MergeSchemas. Anything else met on the way is listed under "unread", and the caller
// must refuse facts with anything unread. Schema changes made by statements (s.ForceNew = true
// after construction) are not seen; `mutations` lists every such assignment in the packages read.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type terraformOutput struct {
	Root      string          `json:"root"`
	Resources []ResourceFacts `json:"resources"`
	Missing   []string        `json:"missing"`
	Mutations []string        `json:"mutations"`
}

func main() {
	if len(os.Args) < 2 {
		fail("usage: schema-facts terraform|kubernetes [flags]")
	}
	var err error
	switch os.Args[1] {
	case "terraform":
		err = terraformCommand(os.Args[2:])
	case "kubernetes":
		err = kubernetesCommand(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fail(err.Error())
	}
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "schema-facts: "+message)
	os.Exit(2)
}

func split(list string) []string {
	var out []string
	for _, item := range strings.Split(list, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

func terraformCommand(args []string) error {
	flags := flag.NewFlagSet("terraform", flag.ContinueOnError)
	root := flags.String("root", "", "module root of the provider's source")
	dirs := flags.String("dirs", "", "package directories to search, globs relative to the root")
	resources := flags.String("resources", "", "Terraform resource names")
	provider := flags.String("provider", "", "provider name, the prefix of framework resources")
	if err := flags.Parse(args); err != nil {
		return err
	}
	t, err := loadTree(*root)
	if err != nil {
		return err
	}
	wanted := split(*resources)
	candidates, err := candidateDirs(t, split(*dirs), wanted)
	if err != nil {
		return err
	}
	sdk, err := t.sdkRegistrations(candidates)
	if err != nil {
		return err
	}
	fw := map[string]scopedExpr{}
	if *provider != "" {
		if fw, err = t.frameworkRegistrations(candidates, *provider); err != nil {
			return err
		}
	}
	out := terraformOutput{Root: *root, Resources: []ResourceFacts{}, Missing: []string{}}
	for _, name := range wanted {
		if at, ok := sdk[name]; ok {
			out.Resources = append(out.Resources, t.readSDKResource(name, at))
		} else if at, ok := fw[name]; ok {
			out.Resources = append(out.Resources, t.readFrameworkResource(name, at))
		} else {
			out.Missing = append(out.Missing, name)
		}
	}
	out.Mutations = mutations(t)
	return printJSON(out)
}

// candidateDirs are the package directories under the globs with a file naming a wanted
// resource in quotes (registration) or its suffix (framework Metadata): a cheap byte search
// keeps the parse to the few packages that matter.
func candidateDirs(t *tree, globs, wanted []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, glob := range globs {
		matches, err := filepath.Glob(filepath.Join(t.root, glob))
		if err != nil {
			return nil, err
		}
		for _, match := range matches {
			rel, _ := filepath.Rel(t.root, match)
			dirs, err := t.walkGoDirs(rel)
			if err != nil {
				return nil, err
			}
			for _, dir := range dirs {
				if seen[dir] {
					continue
				}
				seen[dir] = true
				if dirMentions(filepath.Join(t.root, dir), wanted) {
					out = append(out, dir)
				}
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

func dirMentions(dir string, wanted []string) bool {
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		for _, name := range wanted {
			if bytes.Contains(data, []byte(`"`+name+`"`)) {
				return true
			}
			if cut := strings.Index(name, "_"); cut > 0 && bytes.Contains(data, []byte(`"`+name[cut:]+`"`)) {
				return true
			}
		}
	}
	return false
}

// mutations lists assignments to a schema's ForceNew field in every package read.
func mutations(t *tree) []string {
	out := []string{}
	for _, p := range t.pkgs {
		for _, f := range p.files {
			ast.Inspect(f, func(n ast.Node) bool {
				as, ok := n.(*ast.AssignStmt)
				if !ok {
					return true
				}
				for _, lhs := range as.Lhs {
					if sel, ok := lhs.(*ast.SelectorExpr); ok && sel.Sel.Name == "ForceNew" {
						file, line := t.where(as.Pos())
						out = append(out, fmt.Sprintf("%s:%d", file, line))
					}
				}
				return true
			})
		}
	}
	sort.Strings(out)
	return out
}

func kubernetesCommand(args []string) error {
	flags := flag.NewFlagSet("kubernetes", flag.ContinueOnError)
	root := flags.String("root", "", "module root of pulumi-kubernetes' provider")
	file := flags.String("file", "pkg/provider/diff.go", "the file holding the table, relative to the root")
	kinds := flags.String("kinds", "", "group/version/Kind list")
	if err := flags.Parse(args); err != nil {
		return err
	}
	facts, err := readKubernetes(*root, *file, split(*kinds))
	if err != nil {
		return err
	}
	return printJSON(facts)
}

func printJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
