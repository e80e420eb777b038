// Command servicemonitor-check decodes every ServiceMonitor in a multi-document YAML stream (stdin) strictly into
// the Prometheus Operator's own Go type: an unknown or misspelt field, or a value of the wrong type, fails.
// kubernetes-validate bundles no CRD schemas, so scripts/chart-test.sh uses this for the chart's ServiceMonitor.
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

func main() {
	reader := utilyaml.NewYAMLReader(bufio.NewReader(os.Stdin))
	checked := 0
	for {
		doc, err := reader.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fail("reading YAML: %v", err)
		}
		var head struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := yaml.Unmarshal(doc, &head); err != nil {
			fail("reading a document: %v", err)
		}
		if head.Kind != monitoringv1.ServiceMonitorsKind || len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		if head.APIVersion != monitoringv1.SchemeGroupVersion.String() {
			fail("ServiceMonitor apiVersion %q, expected %q", head.APIVersion, monitoringv1.SchemeGroupVersion.String())
		}
		var sm monitoringv1.ServiceMonitor
		if err := yaml.UnmarshalStrict(doc, &sm); err != nil {
			fail("ServiceMonitor: %v", err)
		}
		if len(sm.Spec.Endpoints) == 0 {
			fail("ServiceMonitor %s has no endpoints", sm.Name)
		}
		checked++
	}
	fmt.Printf("servicemonitor-check: %d ServiceMonitor(s) decoded strictly into monitoring.coreos.com/v1\n", checked)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "servicemonitor-check: "+format+"\n", args...)
	os.Exit(1)
}
