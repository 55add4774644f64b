package main

// What a Terraform provider's schema says makes a resource be re-created, read from its source:
// SDKv2 `ForceNew: true` (attributes and nested blocks), `customdiff.ForceNewIf*` and
// `d.ForceNew("x")` in CustomizeDiff, and plugin-framework `RequiresReplace*` plan modifiers.

import (
	"fmt"
	"go/ast"
	"go/token"
	"regexp"
	"sort"
	"strings"
)

// Fact is one attribute (path of Terraform names) whose change re-creates the resource.
type Fact struct {
	Path []string `json:"path"`
	// ForceNew, or the plan modifier's name (RequiresReplace, RequiresReplaceIfValuesNotNull...).
	How string `json:"how"`
	// For a list, set or map of nested blocks: "block" (re-created when blocks are added or
	// removed, the SDK's count rule); else "value".
	Kind string `json:"kind"`
	// For a nested block, whether it holds at most one element (Pulumi flattens it to an object).
	MaxItemsOne bool   `json:"maxItemsOne,omitempty"`
	File        string `json:"file"`
	Line        int    `json:"line"`
}

// Conditional is a CustomizeDiff rule that re-creates the resource when a condition holds.
type Conditional struct {
	Attribute string `json:"attribute"`
	How       string `json:"how"`
	Condition string `json:"condition"`
	File      string `json:"file"`
	Line      int    `json:"line"`
}

type ResourceFacts struct {
	Name        string        `json:"name"`
	Framework   bool          `json:"framework"`
	File        string        `json:"file"`
	Line        int           `json:"line"`
	Replace     []Fact        `json:"replace"`
	Conditional []Conditional `json:"conditional"`
	// Constructs that were found but not understood: a non-empty list means the facts may be
	// incomplete, and the caller refuses them.
	Unread []string `json:"unread"`
}

type reader struct {
	t   *tree
	out *ResourceFacts
}

func (r *reader) unread(pos token.Pos, format string, args ...any) {
	file, line := r.t.where(pos)
	r.out.Unread = append(r.out.Unread, fmt.Sprintf("%s:%d: %s", file, line, fmt.Sprintf(format, args...)))
}

func (r *reader) fact(path []string, how, kind string, maxOne bool, pos token.Pos) {
	file, line := r.t.where(pos)
	r.out.Replace = append(r.out.Replace, Fact{Path: append([]string{}, path...), How: how, Kind: kind, MaxItemsOne: maxOne, File: file, Line: line})
}

// ---- SDKv2 ----------------------------------------------------------------------------------

// sdkRegistrations finds `registry.Schema{Name: "google_x", Schema: ResourceX()}` literals and
// `// @SDKResource("aws_x")` annotations above a function, in the given package directories.
func (t *tree) sdkRegistrations(dirs []string) (map[string]scopedExpr, error) {
	found := map[string]scopedExpr{}
	annotation := regexp.MustCompile(`@SDKResource\("([a-z0-9_]+)"`)
	for _, dir := range dirs {
		p, err := t.pkgAt(dir)
		if err != nil {
			return nil, err
		}
		for _, f := range p.files {
			s := scope{p: p, f: f}
			ast.Inspect(f, func(n ast.Node) bool {
				c, ok := n.(*ast.CompositeLit)
				if !ok || typeName(c.Type) != "Schema" {
					return true
				}
				fs := fields(c)
				nameExpr, okName := fs["Name"]
				schemaExpr, okSchema := fs["Schema"]
				typeExpr, okType := fs["Type"]
				if !okName || !okSchema || !okType || (typeName(typeExpr) != "SchemaTypeResource" && typeName(typeExpr) != "SchemaTypeIAMResource") {
					return true
				}
				if name, ok := t.stringValue(s, nameExpr); ok {
					found[name] = scopedExpr{s, schemaExpr}
				}
				return true
			})
			for _, decl := range f.Decls {
				fn, ok := decl.(*ast.FuncDecl)
				if !ok || fn.Doc == nil {
					continue
				}
				if m := annotation.FindStringSubmatch(fn.Doc.Text()); m != nil {
					call := &ast.CallExpr{Fun: ast.NewIdent(fn.Name.Name), Lparen: fn.Pos()}
					found[m[1]] = scopedExpr{s, call}
				}
			}
		}
	}
	return found, nil
}

type scopedExpr struct {
	s scope
	e ast.Expr
}

func (t *tree) readSDKResource(name string, at scopedExpr) ResourceFacts {
	out := ResourceFacts{Name: name, Replace: []Fact{}, Conditional: []Conditional{}, Unread: []string{}}
	r := &reader{t: t, out: &out}
	s, e, err := t.resolve(at.s, at.e, 0)
	out.File, out.Line = t.where(e.Pos())
	c, ok := e.(*ast.CompositeLit)
	if err != nil || !ok || typeName(c.Type) != "Resource" {
		r.unread(at.e.Pos(), "resource %s: no *schema.Resource literal (%v)", name, err)
		return out
	}
	r.resource(s, c, nil)
	sort.Slice(out.Replace, func(i, j int) bool {
		return strings.Join(out.Replace[i].Path, ".") < strings.Join(out.Replace[j].Path, ".")
	})
	return out
}

func (r *reader) resource(s scope, c *ast.CompositeLit, path []string) {
	fs := fields(c)
	schemaExpr, ok := fs["Schema"]
	if !ok {
		schemaExpr, ok = fs["SchemaFunc"]
	}
	if !ok {
		r.unread(c.Pos(), "a schema.Resource without Schema or SchemaFunc")
		return
	}
	r.schemaMap(s, schemaExpr, path)
	if path == nil {
		if cd, ok := fs["CustomizeDiff"]; ok {
			r.customizeDiff(s, cd, map[*ast.FuncDecl]bool{})
		}
	}
}

// schemaMap reads map[string]*schema.Schema{...}, through variables, functions and MergeSchemas.
func (r *reader) schemaMap(s scope, e ast.Expr, path []string) {
	if call, ok := e.(*ast.CallExpr); ok && funcName(call) == "MergeSchemas" {
		for _, arg := range call.Args {
			r.schemaMap(s, arg, path)
		}
		return
	}
	s2, v, err := r.t.resolve(s, e, 0)
	if err != nil {
		r.unread(e.Pos(), "schema map: %v", err)
		return
	}
	if call, ok := v.(*ast.CallExpr); ok && funcName(call) == "MergeSchemas" {
		for _, arg := range call.Args {
			r.schemaMap(s2, arg, path)
		}
		return
	}
	c, ok := v.(*ast.CompositeLit)
	if !ok {
		r.unread(v.Pos(), "schema map is not a literal")
		return
	}
	if _, isMap := c.Type.(*ast.MapType); !isMap && c.Type != nil {
		r.unread(v.Pos(), "schema map has type %s", typeName(c.Type))
		return
	}
	for _, elt := range c.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key, ok := r.t.stringValue(s2, kv.Key)
		if !ok {
			r.unread(kv.Pos(), "attribute name is not a constant string")
			continue
		}
		r.attribute(s2, kv.Value, append(append([]string{}, path...), key))
	}
}

func (r *reader) attribute(s scope, e ast.Expr, path []string) {
	s2, v, err := r.t.resolve(s, e, 0)
	if err != nil {
		r.unread(e.Pos(), "attribute %s: %v", strings.Join(path, "."), err)
		return
	}
	c, ok := v.(*ast.CompositeLit)
	if !ok {
		r.unread(v.Pos(), "attribute %s is not a schema literal", strings.Join(path, "."))
		return
	}
	fs := fields(c)
	forceNew := false
	if fn, ok := fs["ForceNew"]; ok {
		if isTrue(fn) {
			forceNew = true
		} else if id, ok := fn.(*ast.Ident); !ok || id.Name != "false" {
			r.unread(fn.Pos(), "attribute %s: ForceNew is not a literal", strings.Join(path, "."))
		}
	}
	maxOne := false
	if m, ok := fs["MaxItems"]; ok {
		if lit, ok := m.(*ast.BasicLit); ok && lit.Value == "1" {
			maxOne = true
		}
	}
	block := false
	if elem, ok := fs["Elem"]; ok {
		s3, ev, err := r.t.resolve(s2, elem, 0)
		if err != nil {
			r.unread(elem.Pos(), "attribute %s: Elem: %v", strings.Join(path, "."), err)
		} else if ec, ok := ev.(*ast.CompositeLit); ok && typeName(ec.Type) == "Resource" {
			block = true
			r.resource(s3, ec, path)
		}
	}
	if forceNew {
		kind := "value"
		if block {
			kind = "block"
		}
		r.fact(path, "ForceNew", kind, maxOne, c.Pos())
	}
}

// customizeDiff records customdiff.ForceNewIf* rules and d.ForceNew("x") calls in the functions
// the CustomizeDiff expression names.
func (r *reader) customizeDiff(s scope, e ast.Node, seen map[*ast.FuncDecl]bool) {
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			name := funcName(x)
			if strings.HasPrefix(name, "ForceNewIf") && len(x.Args) >= 1 {
				attr, ok := r.t.stringValue(s, x.Args[0])
				if !ok {
					r.unread(x.Pos(), "%s with a non-constant attribute", name)
					return false
				}
				cond := ""
				if len(x.Args) > 1 {
					cond = exprText(x.Args[1])
				}
				file, line := r.t.where(x.Pos())
				r.out.Conditional = append(r.out.Conditional, Conditional{Attribute: attr, How: name, Condition: cond, File: file, Line: line})
				return false
			}
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "ForceNew" && len(x.Args) == 1 {
				// A field named at run time (a loop over fields, a list index) is kept as
				// the expression's text: a conditional rule the caller reads as a note.
				attr, ok := r.t.stringValue(s, x.Args[0])
				if !ok {
					attr = source(r.t.fset, x.Args[0])
				}
				file, line := r.t.where(x.Pos())
				r.out.Conditional = append(r.out.Conditional, Conditional{Attribute: attr, How: "ForceNew call in CustomizeDiff", Condition: "see the function", File: file, Line: line})
			}
		case *ast.Ident, *ast.SelectorExpr:
			if p, name, ok := r.t.lookup(s, x.(ast.Expr)); ok {
				if fn, ok := p.funcs[name]; ok && !seen[fn] && fn.Body != nil {
					seen[fn] = true
					r.customizeDiff(r.t.scopeOf(p, fn.Pos(), nil), fn.Body, seen)
				}
			}
			return false
		}
		return true
	})
}

func exprText(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return exprText(x.X) + "." + x.Sel.Name
	case *ast.FuncLit:
		return "an inline function"
	}
	return "an expression"
}

// ---- plugin framework ---------------------------------------------------------------------

// frameworkRegistrations finds resource types whose Metadata method sets
// `resp.TypeName = req.ProviderTypeName + "_suffix"`, named provider + suffix.
func (t *tree) frameworkRegistrations(dirs []string, provider string) (map[string]scopedExpr, error) {
	found := map[string]scopedExpr{}
	for _, dir := range dirs {
		p, err := t.pkgAt(dir)
		if err != nil {
			return nil, err
		}
		for _, methods := range p.methods {
			meta, okMeta := methods["Metadata"]
			sch, okSchema := methods["Schema"]
			if !okMeta || !okSchema || meta.Body == nil || !managedResource(meta) {
				continue
			}
			var suffix string
			ast.Inspect(meta.Body, func(n ast.Node) bool {
				as, ok := n.(*ast.AssignStmt)
				if !ok || len(as.Lhs) != 1 || exprText(as.Lhs[0]) != "resp.TypeName" {
					return true
				}
				if bin, ok := as.Rhs[0].(*ast.BinaryExpr); ok {
					if lit, ok := bin.Y.(*ast.BasicLit); ok {
						suffix = strings.Trim(lit.Value, `"`)
					}
				}
				return false
			})
			if suffix == "" {
				continue
			}
			name := provider + suffix
			if _, twice := found[name]; twice {
				return nil, fmt.Errorf("two resource types claim the name %s", name)
			}
			found[name] = scopedExpr{t.scopeOf(p, sch.Pos(), nil), &ast.FuncLit{Body: sch.Body}}
		}
	}
	return found, nil
}

func (t *tree) readFrameworkResource(name string, at scopedExpr) ResourceFacts {
	out := ResourceFacts{Name: name, Framework: true, Replace: []Fact{}, Conditional: []Conditional{}, Unread: []string{}}
	r := &reader{t: t, out: &out}
	body := at.e.(*ast.FuncLit).Body
	var schemaExpr ast.Expr
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if ok && len(as.Lhs) == 1 && exprText(as.Lhs[0]) == "resp.Schema" {
			schemaExpr = as.Rhs[0]
			return false
		}
		return true
	})
	out.File, out.Line = t.where(body.Pos())
	if schemaExpr == nil {
		r.unread(body.Pos(), "Schema method sets no resp.Schema")
		return out
	}
	s, v, err := t.resolve(at.s, schemaExpr, 0)
	c, ok := v.(*ast.CompositeLit)
	if err != nil || !ok {
		r.unread(schemaExpr.Pos(), "resp.Schema is not a literal")
		return out
	}
	r.fwObject(s, c, nil)
	sort.Slice(out.Replace, func(i, j int) bool {
		return strings.Join(out.Replace[i].Path, ".") < strings.Join(out.Replace[j].Path, ".")
	})
	return out
}

// fwObject reads the Attributes and Blocks of a schema, nested attribute or nested block object.
func (r *reader) fwObject(s scope, c *ast.CompositeLit, path []string) {
	fs := fields(c)
	for _, key := range []string{"Attributes", "Blocks"} {
		e, ok := fs[key]
		if !ok {
			continue
		}
		s2, v, err := r.t.resolve(s, e, 0)
		m, ok := v.(*ast.CompositeLit)
		if err != nil || !ok {
			r.unread(e.Pos(), "%s is not a literal", key)
			continue
		}
		for _, elt := range m.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			name, ok := r.t.stringValue(s2, kv.Key)
			if !ok {
				r.unread(kv.Pos(), "attribute name is not a constant string")
				continue
			}
			r.fwAttribute(s2, kv.Value, append(append([]string{}, path...), name), key == "Blocks")
		}
	}
}

func (r *reader) fwAttribute(s scope, e ast.Expr, path []string, isBlock bool) {
	s2, v, err := r.t.resolve(s, e, 0)
	c, ok := v.(*ast.CompositeLit)
	if err != nil || !ok {
		r.unread(e.Pos(), "attribute %s is not a literal", strings.Join(path, "."))
		return
	}
	fs := fields(c)
	kind := typeName(c.Type)
	nested := strings.Contains(kind, "Nested")
	if mods, ok := fs["PlanModifiers"]; ok {
		if list, ok := mods.(*ast.CompositeLit); ok {
			for _, m := range list.Elts {
				call, ok := m.(*ast.CallExpr)
				if !ok {
					r.unread(m.Pos(), "plan modifier of %s is not a call", strings.Join(path, "."))
					continue
				}
				if name := funcName(call); strings.HasPrefix(name, "RequiresReplace") {
					factKind := "value"
					if isBlock && !strings.HasPrefix(kind, "Single") {
						factKind = "block"
					}
					r.fact(path, name, factKind, strings.HasPrefix(kind, "Single"), call.Pos())
				}
			}
		} else {
			r.unread(mods.Pos(), "plan modifiers of %s are not a literal", strings.Join(path, "."))
		}
	}
	if !nested {
		return
	}
	if inner, ok := fs["NestedObject"]; ok {
		if obj, ok := inner.(*ast.CompositeLit); ok {
			r.fwObject(s2, obj, path)
		} else {
			r.unread(inner.Pos(), "nested object of %s is not a literal", strings.Join(path, "."))
		}
		return
	}
	r.fwObject(s2, c, path)
}

// managedResource is true for `Metadata(ctx, req resource.MetadataRequest, ...)`, not for the
// ephemeral resources and data sources that share the same type names.
func managedResource(meta *ast.FuncDecl) bool {
	for _, field := range meta.Type.Params.List {
		if sel, ok := field.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "MetadataRequest" {
			return exprText(sel.X) == "resource"
		}
	}
	return false
}
