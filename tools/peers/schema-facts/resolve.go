package main

// Following expressions through the source: identifiers to package variables and constants,
// calls to the single value a function returns, parentheses and & away.

import (
	"fmt"
	"go/ast"
	"go/token"
	"strconv"
)

// scope is where an expression is read: its package and file (for imports), and the
// assignments of the function body it sits in (for `s := ...; return s`).
type scope struct {
	p      *pkg
	f      *ast.File
	locals map[string]ast.Expr
	// a called function's parameters, bound to the caller's arguments in the caller's scope
	params map[string]scopedExpr
}

const maxDepth = 40

func (t *tree) scopeOf(p *pkg, pos token.Pos, locals map[string]ast.Expr) scope {
	return scope{p: p, f: t.fileContaining(p, pos), locals: locals}
}

// lookup finds a package-level name, `Name` in this package or `alias.Name` elsewhere.
func (t *tree) lookup(s scope, e ast.Expr) (*pkg, string, bool) {
	switch x := e.(type) {
	case *ast.Ident:
		return s.p, x.Name, true
	case *ast.SelectorExpr:
		alias, ok := x.X.(*ast.Ident)
		if !ok || s.f == nil {
			return nil, "", false
		}
		dir := t.importDir(s.f, alias.Name)
		if dir == "" {
			return nil, "", false
		}
		p, err := t.pkgAt(dir)
		if err != nil {
			return nil, "", false
		}
		return p, x.Sel.Name, true
	}
	return nil, "", false
}

// resolve follows e until it is no longer a name or a call of a known function.
func (t *tree) resolve(s scope, e ast.Expr, depth int) (scope, ast.Expr, error) {
	if depth > maxDepth {
		return s, e, fmt.Errorf("too deep")
	}
	switch x := e.(type) {
	case *ast.ParenExpr:
		return t.resolve(s, x.X, depth+1)
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			return t.resolve(s, x.X, depth+1)
		}
	case *ast.Ident:
		if a, ok := s.params[x.Name]; ok {
			return t.resolve(a.s, a.e, depth+1)
		}
		if v, ok := s.locals[x.Name]; ok {
			return t.resolve(s, v, depth+1)
		}
		if v, ok := s.p.vars[x.Name]; ok {
			return t.resolve(t.scopeOf(s.p, v.Pos(), nil), v, depth+1)
		}
	case *ast.SelectorExpr:
		if p, name, ok := t.lookup(s, x); ok && p != s.p {
			if v, ok := p.vars[name]; ok {
				return t.resolve(t.scopeOf(p, v.Pos(), nil), v, depth+1)
			}
		}
	case *ast.CallExpr:
		if p, name, ok := t.lookup(s, x.Fun); ok {
			if fn, ok := p.funcs[name]; ok && fn.Body != nil {
				ret, locals, err := returned(fn.Body)
				if err != nil {
					return s, e, fmt.Errorf("%s: %w", name, err)
				}
				inner := t.scopeOf(p, fn.Pos(), locals)
				inner.params = bindParams(fn, x.Args, s)
				return t.resolve(inner, ret, depth+1)
			}
		}
	case *ast.FuncLit:
		ret, locals, err := returned(x.Body)
		if err != nil {
			return s, e, err
		}
		for name, v := range s.locals {
			if _, shadowed := locals[name]; !shadowed {
				locals[name] = v
			}
		}
		return t.resolve(scope{p: s.p, f: s.f, locals: locals, params: s.params}, ret, depth+1)
	}
	return s, e, nil
}

// returned is the value of a function body's last statement, a `return X`, with the simple
// assignments (`x := ...`, `x = ...`) before it.
func returned(body *ast.BlockStmt) (ast.Expr, map[string]ast.Expr, error) {
	if body == nil || len(body.List) == 0 {
		return nil, nil, fmt.Errorf("empty body")
	}
	locals := map[string]ast.Expr{}
	for _, stmt := range body.List {
		if as, ok := stmt.(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) {
			for i, lhs := range as.Lhs {
				if id, ok := lhs.(*ast.Ident); ok {
					locals[id.Name] = as.Rhs[i]
				}
			}
		}
	}
	if err := builtByStatements(body, locals); err != nil {
		return nil, nil, err
	}
	last, ok := body.List[len(body.List)-1].(*ast.ReturnStmt)
	if !ok || len(last.Results) != 1 {
		return nil, nil, fmt.Errorf("does not end in a single return")
	}
	return last.Results[0], locals, nil
}

// stringValue is the value of a string literal or of a constant naming one.
func (t *tree) stringValue(s scope, e ast.Expr) (string, bool) {
	_, r, err := t.resolve(s, e, 0)
	if err != nil {
		return "", false
	}
	lit, ok := r.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	v, err := strconv.Unquote(lit.Value)
	return v, err == nil
}

// typeName is the last name of a composite literal's type: `schema.Resource` -> "Resource".
func typeName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.SelectorExpr:
		return x.Sel.Name
	case *ast.Ident:
		return x.Name
	case *ast.StarExpr:
		return typeName(x.X)
	case *ast.IndexExpr:
		return typeName(x.X)
	}
	return ""
}

// fields of a keyed composite literal.
func fields(c *ast.CompositeLit) map[string]ast.Expr {
	out := map[string]ast.Expr{}
	for _, elt := range c.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok {
				out[id.Name] = kv.Value
			}
		}
	}
	return out
}

func isTrue(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "true"
}

// funcName is the called function's own name: `customdiff.ForceNewIfChange` -> "ForceNewIfChange".
func funcName(call *ast.CallExpr) string {
	switch f := call.Fun.(type) {
	case *ast.SelectorExpr:
		return f.Sel.Name
	case *ast.Ident:
		return f.Name
	case *ast.IndexExpr:
		if sel, ok := f.X.(*ast.SelectorExpr); ok {
			return sel.Sel.Name
		}
	}
	return ""
}

// bindParams pairs a function's named parameters with a call's arguments.
func bindParams(fn *ast.FuncDecl, args []ast.Expr, caller scope) map[string]scopedExpr {
	out := map[string]scopedExpr{}
	i := 0
	for _, field := range fn.Type.Params.List {
		for _, name := range field.Names {
			if i < len(args) {
				out[name.Name] = scopedExpr{caller, args[i]}
			}
			i++
		}
	}
	return out
}

// schemaFields are the fields whose assignment after construction would change what a resource
// re-creates on.
var schemaFields = map[string]bool{"Schema": true, "SchemaFunc": true, "Elem": true, "ForceNew": true, "CustomizeDiff": true}

// builtByStatements refuses a body that fills a local schema by statements (`s["x"] = ...`,
// `r.Schema = ...`): only literals are read, so such a schema would be read wrong.
func builtByStatements(body *ast.BlockStmt, locals map[string]ast.Expr) error {
	var found error
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || found != nil {
			return found == nil
		}
		for _, lhs := range as.Lhs {
			switch x := lhs.(type) {
			case *ast.IndexExpr:
				if id, ok := x.X.(*ast.Ident); ok && locals[id.Name] != nil {
					found = fmt.Errorf("%s is filled by statements", id.Name)
				}
			case *ast.SelectorExpr:
				if id, ok := x.X.(*ast.Ident); ok && locals[id.Name] != nil && schemaFields[x.Sel.Name] {
					found = fmt.Errorf("%s.%s is set by a statement", id.Name, x.Sel.Name)
				}
			}
		}
		return true
	})
	return found
}
