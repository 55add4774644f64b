package main

// Built-in kinds, checked with kube-apiserver's own code: strict decoding into the versioned
// types (unknown or duplicate fields are errors, as with fieldValidation=Strict), the version's
// defaults, conversion to the internal types, the registry strategy's PrepareForCreate where it
// changes what is validated, then the strategy's Validate (k8s.io/kubernetes/pkg/registry/...
// strategy.go call these same functions; the registry packages themselves are not imported
// because they bring the storage layer).

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	jsonserializer "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/util/validation/field"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	"k8s.io/kubernetes/pkg/api/pod"
	"k8s.io/kubernetes/pkg/apis/apps"
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	appsvalidation "k8s.io/kubernetes/pkg/apis/apps/validation"
	"k8s.io/kubernetes/pkg/apis/autoscaling"
	_ "k8s.io/kubernetes/pkg/apis/autoscaling/install"
	autoscalingvalidation "k8s.io/kubernetes/pkg/apis/autoscaling/validation"
	"k8s.io/kubernetes/pkg/apis/core"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	corevalidation "k8s.io/kubernetes/pkg/apis/core/validation"
	"k8s.io/kubernetes/pkg/apis/networking"
	_ "k8s.io/kubernetes/pkg/apis/networking/install"
	networkingvalidation "k8s.io/kubernetes/pkg/apis/networking/validation"
	"k8s.io/kubernetes/pkg/apis/policy"
	_ "k8s.io/kubernetes/pkg/apis/policy/install"
	policyvalidation "k8s.io/kubernetes/pkg/apis/policy/validation"
	"k8s.io/kubernetes/pkg/features"
)

// builtinValidators are the strategies' Validate for create, by internal type.
var builtinValidators = map[schema.GroupKind]func(runtime.Object) field.ErrorList{
	{Group: "", Kind: "Namespace"}: func(o runtime.Object) field.ErrorList {
		return corevalidation.ValidateNamespace(o.(*core.Namespace))
	},
	{Group: "", Kind: "ServiceAccount"}: func(o runtime.Object) field.ErrorList {
		return corevalidation.ValidateServiceAccount(o.(*core.ServiceAccount))
	},
	{Group: "", Kind: "ConfigMap"}: func(o runtime.Object) field.ErrorList {
		return corevalidation.ValidateConfigMap(o.(*core.ConfigMap))
	},
	{Group: "", Kind: "Service"}: func(o runtime.Object) field.ErrorList {
		service := o.(*core.Service)
		service.Status = core.ServiceStatus{}
		// The service REST's beginCreate first fills clusterIPs from a lone clusterIP
		// (normalizeClusterIPs in pkg/registry/core/service/storage/storage.go).
		if service.Spec.ClusterIP != "" && len(service.Spec.ClusterIPs) == 0 {
			service.Spec.ClusterIPs = []string{service.Spec.ClusterIP}
		}
		return corevalidation.ValidateServiceCreate(service)
	},
	{Group: "apps", Kind: "Deployment"}: func(o runtime.Object) field.ErrorList {
		deployment := o.(*apps.Deployment)
		deployment.Status = apps.DeploymentStatus{}
		deployment.Generation = 1
		pod.DropDisabledTemplateFields(&deployment.Spec.Template, nil)
		return appsvalidation.ValidateDeployment(deployment, pod.GetValidationOptionsFromPodTemplate(&deployment.Spec.Template, nil))
	},
	{Group: "autoscaling", Kind: "HorizontalPodAutoscaler"}: func(o runtime.Object) field.ErrorList {
		autoscaler := o.(*autoscaling.HorizontalPodAutoscaler)
		autoscaler.Status = autoscaling.HorizontalPodAutoscalerStatus{}
		// The strategy's options for a create (horizontalpodautoscaler/strategy.go).
		opts := autoscalingvalidation.HorizontalPodAutoscalerSpecValidationOptions{
			MinReplicasLowerBound:           1,
			ScaleTargetRefValidationOptions: autoscalingvalidation.CrossVersionObjectReferenceValidationOptions{},
			ObjectMetricsValidationOptions:  autoscalingvalidation.CrossVersionObjectReferenceValidationOptions{AllowEmptyAPIGroup: true},
		}
		if utilfeature.DefaultFeatureGate.Enabled(features.HPAScaleToZero) {
			opts.MinReplicasLowerBound = 0
		}
		if autoscaler.Spec.ScaleTargetRef.Kind == "ReplicationController" {
			opts.ScaleTargetRefValidationOptions.AllowEmptyAPIGroup = true
		}
		return autoscalingvalidation.ValidateHorizontalPodAutoscaler(autoscaler, opts)
	},
	{Group: "policy", Kind: "PodDisruptionBudget"}: func(o runtime.Object) field.ErrorList {
		budget := o.(*policy.PodDisruptionBudget)
		budget.Status = policy.PodDisruptionBudgetStatus{}
		return policyvalidation.ValidatePodDisruptionBudget(budget, policyvalidation.PodDisruptionBudgetValidationOptions{})
	},
	{Group: "networking.k8s.io", Kind: "NetworkPolicy"}: func(o runtime.Object) field.ErrorList {
		policy := o.(*networking.NetworkPolicy)
		return networkingvalidation.ValidateNetworkPolicy(policy, networkingvalidation.ValidationOptionsForNetworking(policy, nil))
	},
}

var strictDecoder = jsonserializer.NewSerializerWithOptions(
	jsonserializer.DefaultMetaFactory, legacyscheme.Scheme, legacyscheme.Scheme,
	jsonserializer.SerializerOptions{Strict: true},
)

// isBuiltin tells whether this peer checks the kind with the API server's own validation.
func isBuiltin(gvk schema.GroupVersionKind) bool {
	_, known := builtinValidators[gvk.GroupKind()]
	return known && legacyscheme.Scheme.Recognizes(gvk)
}

// validateBuiltin returns what the API server would answer to creating the object.
func validateBuiltin(gvk schema.GroupVersionKind, raw []byte) []string {
	var messages []string
	external, _, err := strictDecoder.Decode(raw, &gvk, nil)
	if err != nil {
		if !runtime.IsStrictDecodingError(err) || external == nil {
			return []string{err.Error()}
		}
		messages = append(messages, err.Error())
	}
	legacyscheme.Scheme.Default(external)
	internal, err := legacyscheme.Scheme.UnsafeConvertToVersion(external, schema.GroupVersion{Group: gvk.Group, Version: runtime.APIVersionInternal})
	if err != nil {
		return append(messages, fmt.Sprintf("conversion: %v", err))
	}
	return append(messages, errorStrings(builtinValidators[gvk.GroupKind()](internal))...)
}
