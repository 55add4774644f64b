package main

// Rules GKE serves that the pinned gke-gateway-api module predates (gke-rules.yaml), added to
// the pinned CRD before it is checked and compiled like any other.

import (
	_ "embed"
	"fmt"
	"strings"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"
)

//go:embed gke-rules.yaml
var gkeRulesYAML []byte

type ruleOverlay struct {
	Module    string `json:"module"`
	Pinned    string `json:"pinned"`
	CRD       string `json:"crd"`
	Additions []struct {
		At    []string `json:"at"`
		Rules []struct {
			Rule    string `json:"rule"`
			Message string `json:"message"`
		} `json:"rules"`
	} `json:"additions"`
}

func loadOverlay() (*ruleOverlay, error) {
	overlay := &ruleOverlay{}
	if err := yaml.UnmarshalStrict(gkeRulesYAML, overlay); err != nil {
		return nil, fmt.Errorf("gke-rules.yaml: %w", err)
	}
	version, err := pinnedVersion(overlay.Module)
	if err != nil {
		return nil, err
	}
	if version != overlay.Pinned {
		return nil, fmt.Errorf("gke-rules.yaml supplements %s %s but the pin is now %s: keep only the rules that version lacks and update `pinned`", overlay.Module, overlay.Pinned, version)
	}
	return overlay, nil
}

// apply adds the overlay's rules to the CRD it names (other CRDs pass unchanged).
func (o *ruleOverlay) apply(crd *apiextensionsv1.CustomResourceDefinition) error {
	if crd.Name != o.CRD {
		return nil
	}
	for i := range crd.Spec.Versions {
		version := &crd.Spec.Versions[i]
		for _, addition := range o.Additions {
			var rules apiextensionsv1.ValidationRules
			for _, rule := range addition.Rules {
				rules = append(rules, apiextensionsv1.ValidationRule{Rule: rule.Rule, Message: rule.Message})
			}
			for _, at := range addition.At {
				if err := addRules(version.Schema.OpenAPIV3Schema, strings.Split(at, "."), rules); err != nil {
					return fmt.Errorf("gke-rules.yaml: %s %s at %s: %w", crd.Name, version.Name, at, err)
				}
			}
		}
	}
	return nil
}

// addRules adds rules to the schema at a property path (schema properties are held by value,
// so each level is written back).
func addRules(node *apiextensionsv1.JSONSchemaProps, path []string, rules apiextensionsv1.ValidationRules) error {
	if len(path) == 0 {
		if len(node.XValidations) > 0 {
			return fmt.Errorf("the pinned CRD now has rules here: compare them with this file and remove what it holds")
		}
		node.XValidations = append(node.XValidations, rules...)
		return nil
	}
	child, ok := node.Properties[path[0]]
	if !ok {
		return fmt.Errorf("the pinned CRD has no property %q", path[0])
	}
	if err := addRules(&child, path[1:], rules); err != nil {
		return err
	}
	node.Properties[path[0]] = child
	return nil
}
