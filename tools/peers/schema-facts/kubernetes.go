package main

// Which fields of a Kubernetes object make pulumi-kubernetes replace it, read from its provider's
// table (provider/pkg/provider/diff.go): the per group/version/kind lists, the metadata fields
// every object has, and the special cases its forceNewProperties function adds (Secret, ConfigMap).

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
	"path/filepath"
	"strconv"
)

type KindFacts struct {
	Kind       string   `json:"kind"` // group/version/Kind, group "" for core
	Properties []string `json:"properties"`
	File       string   `json:"file"`
	Line       int      `json:"line"`
}

type BranchFacts struct {
	Condition  string   `json:"condition"`
	Properties []string `json:"properties"`
	File       string   `json:"file"`
	Line       int      `json:"line"`
}

type KubernetesFacts struct {
	Metadata []string      `json:"metadata"`
	Kinds    []KindFacts   `json:"kinds"`
	Branches []BranchFacts `json:"branches"`
}

type k8sReader struct {
	t *tree
	p *pkg
}

func readKubernetes(root, file string, kinds []string) (*KubernetesFacts, error) {
	t, err := loadTree(root)
	if err != nil {
		return nil, err
	}
	p, err := t.pkgAt(filepath.Dir(file))
	if err != nil {
		return nil, err
	}
	k := &k8sReader{t: t, p: p}
	out := &KubernetesFacts{Kinds: []KindFacts{}, Branches: []BranchFacts{}}
	method := p.methods["kubeProvider"]["forceNewProperties"]
	if method == nil {
		return nil, fmt.Errorf("%s: no kubeProvider.forceNewProperties", file)
	}
	for _, stmt := range method.Body.List {
		switch s := stmt.(type) {
		case *ast.AssignStmt:
			if len(s.Lhs) == 1 && exprText(s.Lhs[0]) == "props" && s.Tok == token.DEFINE {
				if out.Metadata, err = k.strings(s.Rhs[0], nil); err != nil {
					return nil, err
				}
			}
		}
	}
	// The branches that add fixed lists: `if <cond> { props = append(props, properties{...}...) }`.
	ast.Inspect(method.Body, func(n ast.Node) bool {
		ifs, ok := n.(*ast.IfStmt)
		if !ok || len(ifs.Body.List) != 1 {
			return true
		}
		as, ok := ifs.Body.List[0].(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 {
			return true
		}
		call, ok := as.Rhs[0].(*ast.CallExpr)
		if !ok || funcName(call) != "append" || len(call.Args) != 2 {
			return true
		}
		if _, literal := call.Args[1].(*ast.CompositeLit); !literal {
			return true
		}
		props, err2 := k.strings(call.Args[1], nil)
		if err2 != nil {
			err = err2
			return false
		}
		f, line := t.where(ifs.Pos())
		out.Branches = append(out.Branches, BranchFacts{Condition: source(t.fset, ifs.Cond), Properties: props, File: f, Line: line})
		return true
	})
	if err != nil {
		return nil, err
	}
	table, ok := p.vars["forceNew"]
	if !ok {
		return nil, fmt.Errorf("%s: no forceNew table", file)
	}
	for _, kind := range kinds {
		group, version, name, err := splitKind(kind)
		if err != nil {
			return nil, err
		}
		facts := KindFacts{Kind: kind, Properties: []string{}}
		if expr := k.entry(table, group, version, name); expr != nil {
			if facts.Properties, err = k.strings(expr, nil); err != nil {
				return nil, fmt.Errorf("%s: %w", kind, err)
			}
			facts.File, facts.Line = t.where(expr.Pos())
		} else {
			facts.File, facts.Line = t.where(table.Pos())
		}
		out.Kinds = append(out.Kinds, facts)
	}
	return out, nil
}

func splitKind(kind string) (string, string, string, error) {
	// "apps/v1/Deployment", "v1/Service" (core)
	parts := bytes.Split([]byte(kind), []byte("/"))
	switch len(parts) {
	case 2:
		return "", string(parts[0]), string(parts[1]), nil
	case 3:
		return string(parts[0]), string(parts[1]), string(parts[2]), nil
	}
	return "", "", "", fmt.Errorf("kind %q is not group/version/Kind", kind)
}

// entry walks table[group][version][kind] through literals and named variables.
func (k *k8sReader) entry(table ast.Expr, keys ...string) ast.Expr {
	current := table
	for _, key := range keys {
		_, v, err := k.t.resolve(scope{p: k.p}, current, 0)
		c, ok := v.(*ast.CompositeLit)
		if err != nil || !ok {
			return nil
		}
		var next ast.Expr
		for _, elt := range c.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			if lit, ok := kv.Key.(*ast.BasicLit); ok {
				if s, _ := strconv.Unquote(lit.Value); s == key {
					next = kv.Value
				}
			}
		}
		if next == nil {
			return nil
		}
		current = next
	}
	return current
}

// strings evaluates a list of property paths: literals, append, named lists, and calls of the
// helper functions (string parameters, a loop over a variadic parameter).
func (k *k8sReader) strings(e ast.Expr, env map[string]any) ([]string, error) {
	switch x := e.(type) {
	case *ast.CompositeLit:
		var out []string
		for _, elt := range x.Elts {
			s, err := k.str(elt, env)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	case *ast.Ident:
		if v, ok := env[x.Name]; ok {
			if list, ok := v.([]string); ok {
				return list, nil
			}
		}
		if v, ok := k.p.vars[x.Name]; ok {
			return k.strings(v, nil)
		}
	case *ast.CallExpr:
		if funcName(x) == "append" {
			var out []string
			for _, arg := range x.Args {
				part, err := k.strings(arg, env)
				if err != nil {
					return nil, err
				}
				out = append(out, part...)
			}
			return out, nil
		}
		if fn, ok := k.p.funcs[funcName(x)]; ok {
			return k.call(fn, x.Args, env)
		}
	}
	return nil, fmt.Errorf("cannot read %s", source(k.t.fset, e))
}

func (k *k8sReader) str(e ast.Expr, env map[string]any) (string, error) {
	switch x := e.(type) {
	case *ast.BasicLit:
		return strconv.Unquote(x.Value)
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			a, err := k.str(x.X, env)
			if err != nil {
				return "", err
			}
			b, err := k.str(x.Y, env)
			return a + b, err
		}
	case *ast.Ident:
		if v, ok := env[x.Name].(string); ok {
			return v, nil
		}
	}
	return "", fmt.Errorf("cannot read string %s", source(k.t.fset, e))
}

func (k *k8sReader) call(fn *ast.FuncDecl, args []ast.Expr, outer map[string]any) ([]string, error) {
	env := map[string]any{}
	i := 0
	for _, field := range fn.Type.Params.List {
		_, variadic := field.Type.(*ast.Ellipsis)
		for _, name := range field.Names {
			if variadic {
				var rest []string
				for ; i < len(args); i++ {
					s, err := k.str(args[i], outer)
					if err != nil {
						return nil, err
					}
					rest = append(rest, s)
				}
				env[name.Name] = rest
				continue
			}
			if i >= len(args) {
				return nil, fmt.Errorf("%s: too few arguments", fn.Name.Name)
			}
			s, err := k.str(args[i], outer)
			if err != nil {
				return nil, err
			}
			env[name.Name] = s
			i++
		}
	}
	return k.run(fn.Body.List, env)
}

// run interprets the statements the helpers use: var, append-assign, range over a list, return.
func (k *k8sReader) run(stmts []ast.Stmt, env map[string]any) ([]string, error) {
	for _, stmt := range stmts {
		switch s := stmt.(type) {
		case *ast.DeclStmt:
			gen := s.Decl.(*ast.GenDecl)
			for _, spec := range gen.Specs {
				for _, name := range spec.(*ast.ValueSpec).Names {
					env[name.Name] = []string{}
				}
			}
		case *ast.AssignStmt:
			if len(s.Lhs) != 1 || len(s.Rhs) != 1 {
				return nil, fmt.Errorf("cannot run %s", source(k.t.fset, s))
			}
			v, err := k.strings(s.Rhs[0], env)
			if err != nil {
				return nil, err
			}
			env[exprText(s.Lhs[0])] = v
		case *ast.RangeStmt:
			list, ok := env[exprText(s.X)].([]string)
			if !ok || s.Value == nil {
				return nil, fmt.Errorf("cannot run %s", source(k.t.fset, s))
			}
			for _, item := range list {
				env[exprText(s.Value)] = item
				if _, err := k.run(s.Body.List, env); err != nil {
					return nil, err
				}
			}
		case *ast.ReturnStmt:
			if len(s.Results) != 1 {
				return nil, fmt.Errorf("cannot run %s", source(k.t.fset, s))
			}
			return k.strings(s.Results[0], env)
		default:
			return nil, fmt.Errorf("cannot run %s", source(k.t.fset, s))
		}
	}
	return nil, nil
}

func source(fset *token.FileSet, n ast.Node) string {
	var buf bytes.Buffer
	_ = printer.Fprint(&buf, fset, n)
	return buf.String()
}
