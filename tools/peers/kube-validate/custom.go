package main

// Custom resources, checked the way kube-apiserver's custom resource handler checks a create:
// decoding applies the schema's defaults, pruning drops (here: reports) fields the schema does
// not declare, metadata is coerced, then the registry strategy validates type and object meta,
// the OpenAPI schema, embedded resources, list types and, when nothing blocking was found, the
// x-kubernetes-validations rules in CEL. The steps and their order follow
// apiextensions-apiserver's pkg/apiserver/customresource_handler.go (unstructuredSchemaCoercer)
// and pkg/registry/customresource (strategy.go, validator.go); the packages are its own.

import (
	"context"
	"fmt"

	apiextensionsinternal "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	crdvalidation "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	structurallisttype "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	schemaobjectmeta "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	schemavalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
)

// customKind validates objects of one served version of a CRD.
type customKind struct {
	gvk        schema.GroupVersionKind
	namespaced bool
	structural *structuralschema.Structural
	schema     schemavalidation.SchemaValidator
	rules      *cel.Validator
}

var crdScheme = func() *runtime.Scheme {
	scheme := runtime.NewScheme()
	must(apiextensionsinternal.AddToScheme(scheme))
	must(apiextensionsv1.AddToScheme(scheme))
	return scheme
}()

// customKinds builds a validator for every served version of the CRD, after checking the CRD
// itself as the API server does before it accepts one (structural schema, rules that compile
// within the cost limits).
func customKinds(crd *apiextensionsv1.CustomResourceDefinition, source string) ([]*customKind, error) {
	crdScheme.Default(crd)
	internal := &apiextensionsinternal.CustomResourceDefinition{}
	if err := crdScheme.Convert(crd, internal, nil); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	if errs := crdvalidation.ValidateCustomResourceDefinition(context.Background(), internal); len(errs) > 0 {
		return nil, fmt.Errorf("%s: the API server would refuse this CRD: %v", source, errs.ToAggregate())
	}
	var kinds []*customKind
	for _, version := range internal.Spec.Versions {
		if !version.Served {
			continue
		}
		validation, err := apiextensionsinternal.GetSchemaForVersion(internal, version.Name)
		if err != nil || validation == nil || validation.OpenAPIV3Schema == nil {
			return nil, fmt.Errorf("%s %s: no schema (%v)", source, version.Name, err)
		}
		props := validation.OpenAPIV3Schema
		structural, err := structuralschema.NewStructural(props)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", source, version.Name, err)
		}
		validator, _, err := schemavalidation.NewSchemaValidator(props)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", source, version.Name, err)
		}
		kinds = append(kinds, &customKind{
			gvk:        schema.GroupVersionKind{Group: internal.Spec.Group, Version: version.Name, Kind: internal.Spec.Names.Kind},
			namespaced: internal.Spec.Scope == apiextensionsinternal.NamespaceScoped,
			structural: structural,
			schema:     validator,
			rules:      cel.NewValidator(structural, true, celconfig.PerCallLimit),
		})
	}
	return kinds, nil
}

// validate returns what the API server would answer to creating the object (none: accepted).
// Fields the schema does not declare are reported as strict field validation reports them.
func (k *customKind) validate(object map[string]interface{}) []string {
	u := &unstructured.Unstructured{Object: runtime.DeepCopyJSON(object)}

	// Decoding: defaults first, then pruning with strict field validation, then metadata.
	structuraldefaulting.Default(u.Object, k.structural)
	_, _, metaUnknown, err := schemaobjectmeta.GetObjectMetaWithOptions(u.Object, schemaobjectmeta.ObjectMetaOptions{ReturnUnknownFieldPaths: true})
	if err != nil {
		return []string{field.Invalid(field.NewPath("metadata"), nil, err.Error()).Error()}
	}
	unknown := structuralpruning.PruneWithOptions(u.Object, k.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})
	structuraldefaulting.PruneNonNullableNullsWithoutDefaults(u.Object, k.structural)
	coerceErr, metaPaths := schemaobjectmeta.CoerceWithOptions(nil, u.Object, k.structural, false, schemaobjectmeta.CoerceOptions{ReturnUnknownFieldPaths: true})
	if coerceErr != nil {
		return []string{coerceErr.Error()}
	}
	var messages []string
	for _, path := range append(append(metaUnknown, unknown...), metaPaths...) {
		messages = append(messages, unknownField(path))
	}

	// Create: the strategy's Validate.
	var errs field.ErrorList
	errs = append(errs, validation.ValidateObjectMetaAccessor(u, k.namespaced, validation.NameIsDNSSubdomain, field.NewPath("metadata"))...)
	errs = append(errs, schemavalidation.ValidateCustomResource(nil, u.UnstructuredContent(), k.schema)...)
	errs = append(errs, schemaobjectmeta.Validate(nil, u.Object, k.structural, false)...)
	errs = append(errs, structurallisttype.ValidateListSetsAndMaps(nil, k.structural, u.Object)...)
	if blocking(errs) {
		errs = append(errs, field.Invalid(nil, nil, "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"))
	} else {
		ruleErrs, _ := k.rules.Validate(context.Background(), nil, k.structural, u.Object, nil, celconfig.RuntimeCELCostBudget)
		errs = append(errs, ruleErrs...)
	}
	return append(messages, errorStrings(errs)...)
}

// blocking mirrors the strategy: these errors stop the CEL rules from running.
func blocking(errs field.ErrorList) bool {
	for _, err := range errs {
		switch err.Type {
		case field.ErrorTypeNotSupported, field.ErrorTypeRequired, field.ErrorTypeTooLong, field.ErrorTypeTooMany, field.ErrorTypeTypeInvalid:
			return true
		}
	}
	return false
}
