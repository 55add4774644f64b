package main

// A Go source tree read without building it: every non-test file parsed, top-level functions,
// variables and methods indexed per package directory, import paths resolved inside the module.

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type pkg struct {
	dir   string
	files []*ast.File
	funcs map[string]*ast.FuncDecl
	vars  map[string]ast.Expr
	// methods by receiver type name, then method name
	methods map[string]map[string]*ast.FuncDecl
}

type tree struct {
	root   string
	module string
	fset   *token.FileSet
	pkgs   map[string]*pkg // by directory relative to root
	fileOf map[*ast.File]string
}

func loadTree(root string) (*tree, error) {
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, fmt.Errorf("%s is not a Go module root: %w", root, err)
	}
	module := ""
	for _, line := range strings.Split(string(gomod), "\n") {
		if strings.HasPrefix(line, "module ") {
			module = strings.TrimSpace(strings.TrimPrefix(line, "module "))
		}
	}
	t := &tree{root: root, module: module, fset: token.NewFileSet(), pkgs: map[string]*pkg{}, fileOf: map[*ast.File]string{}}
	return t, nil
}

// pkgAt parses one package directory on first use (a provider has thousands; we need a few).
func (t *tree) pkgAt(rel string) (*pkg, error) {
	if p, ok := t.pkgs[rel]; ok {
		return p, nil
	}
	dir := filepath.Join(t.root, rel)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	p := &pkg{dir: rel, funcs: map[string]*ast.FuncDecl{}, vars: map[string]ast.Expr{}, methods: map[string]map[string]*ast.FuncDecl{}}
	names := []string{}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		f, err := parser.ParseFile(t.fset, filepath.Join(dir, n), nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		t.fileOf[f] = filepath.ToSlash(filepath.Join(rel, n))
		p.files = append(p.files, f)
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					p.funcs[d.Name.Name] = d
				} else if len(d.Recv.List) == 1 {
					recv := receiverName(d.Recv.List[0].Type)
					if p.methods[recv] == nil {
						p.methods[recv] = map[string]*ast.FuncDecl{}
					}
					p.methods[recv][d.Name.Name] = d
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					vs, ok := spec.(*ast.ValueSpec)
					if !ok {
						continue
					}
					for i, name := range vs.Names {
						if i < len(vs.Values) {
							p.vars[name.Name] = vs.Values[i]
						}
					}
				}
			}
		}
	}
	t.pkgs[rel] = p
	return p, nil
}

func receiverName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return receiverName(x.X)
	case *ast.Ident:
		return x.Name
	case *ast.IndexExpr:
		return receiverName(x.X)
	}
	return ""
}

// importDir resolves `alias.Name` in file f to a package directory inside the module, or "".
func (t *tree) importDir(f *ast.File, alias string) string {
	for _, imp := range f.Imports {
		path := strings.Trim(imp.Path.Value, `"`)
		name := filepath.Base(path)
		if imp.Name != nil {
			name = imp.Name.Name
		}
		if name != alias {
			continue
		}
		if path == t.module {
			return "."
		}
		if strings.HasPrefix(path, t.module+"/") {
			return strings.TrimPrefix(path, t.module+"/")
		}
		return ""
	}
	return ""
}

// fileContaining finds the parsed file of a node's position.
func (t *tree) fileContaining(p *pkg, pos token.Pos) *ast.File {
	for _, f := range p.files {
		if f.Pos() <= pos && pos <= f.End() {
			return f
		}
	}
	return nil
}

func (t *tree) where(pos token.Pos) (string, int) {
	position := t.fset.Position(pos)
	rel, err := filepath.Rel(t.root, position.Filename)
	if err != nil {
		rel = position.Filename
	}
	return filepath.ToSlash(rel), position.Line
}

// walkGoDirs lists every package directory under rel (vendor and testdata excluded).
func (t *tree) walkGoDirs(rel string) ([]string, error) {
	var dirs []string
	err := filepath.WalkDir(filepath.Join(t.root, rel), func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			base := d.Name()
			if base == "vendor" || base == "testdata" || strings.HasPrefix(base, ".") && path != filepath.Join(t.root, rel) {
				return filepath.SkipDir
			}
			matches, _ := filepath.Glob(filepath.Join(path, "*.go"))
			if len(matches) > 0 {
				r, _ := filepath.Rel(t.root, path)
				dirs = append(dirs, filepath.ToSlash(r))
			}
		}
		return nil
	})
	sort.Strings(dirs)
	return dirs, err
}
