// Command cel evaluates one IAM condition expression with Google's CEL implementation (cel-go)
// against the attributes of requests, so that a test can learn what a condition admits without
// reading its text. It reads one JSON document on standard input:
//
//	{"expression": "...", "requests": [{"resource": {"name": "...", "type": "..."},
//	  "attributes": {"storage.googleapis.com/objectListPrefix": "..."}}]}
//
// and prints one JSON array of booleans, one per request, in order. An expression that does not
// compile, or whose result is not a boolean, is an error (exit 1), never a false.
//
// IAM conditions name the request's resource as `resource` (fields name, type, service) and read
// service-supplied request data with `api.getAttribute(name, default)`, which answers the
// default when the request carries no such attribute. Both are declared here, and nothing else.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
)

type request struct {
	Resource   map[string]string `json:"resource"`
	Attributes map[string]string `json:"attributes"`
}

type input struct {
	Expression string    `json:"expression"`
	Requests   []request `json:"requests"`
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fail("reading the input: %v", err)
	}
	out := make([]bool, 0, len(in.Requests))
	for _, r := range in.Requests {
		attributes := r.Attributes
		env, err := cel.NewEnv(
			cel.Variable("resource", cel.MapType(cel.StringType, cel.StringType)),
			cel.Variable("api", cel.DynType),
			cel.Function("getAttribute",
				cel.MemberOverload("api_get_attribute_string_string",
					[]*cel.Type{cel.DynType, cel.StringType, cel.StringType}, cel.StringType,
					cel.FunctionBinding(func(args ...ref.Val) ref.Val {
						name, _ := args[1].Value().(string)
						if value, ok := attributes[name]; ok {
							return types.String(value)
						}
						return args[2]
					}))),
		)
		if err != nil {
			fail("declaring the environment: %v", err)
		}
		ast, issues := env.Compile(in.Expression)
		if issues != nil && issues.Err() != nil {
			fail("the expression does not compile: %v", issues.Err())
		}
		if ast.OutputType() != cel.BoolType {
			fail("the expression is of type %v, not bool", ast.OutputType())
		}
		program, err := env.Program(ast)
		if err != nil {
			fail("planning the expression: %v", err)
		}
		resource := map[string]string{}
		for k, v := range r.Resource {
			resource[k] = v
		}
		value, _, err := program.Eval(map[string]any{"resource": resource, "api": map[string]string{}})
		if err != nil {
			fail("evaluating the expression: %v", err)
		}
		admitted, ok := value.Value().(bool)
		if !ok {
			fail("the expression answered %v, not a boolean", value)
		}
		out = append(out, admitted)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail("writing the answer: %v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "cel: "+format+"\n", args...)
	os.Exit(1)
}
