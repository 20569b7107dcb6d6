// Command promql-metrics prints the metric names that Prometheus rule files and Grafana
// dashboards query, one per line, sorted, each once, so that a test can check every one of
// them against what an exporter serves.
//
//	promql-metrics FILE...
//
// A FILE ending in .json is a Grafana dashboard: the expr of every panel target (rows'
// panels included) and every query variable of the form label_values(SELECTOR, LABEL) or a
// plain PromQL query. Grafana's interval variables ($__rate_interval, $__interval, $__range)
// stand for a duration before parsing. Any other FILE is a Prometheus rule file: plain rule
// groups, or a Prometheus Operator PrometheusRule object whose spec holds them.
//
// Expressions are parsed with Prometheus's own PromQL parser. The exit status is 0 when every
// expression parsed and every vector selector names its metric, 1 otherwise (each problem is
// printed to standard error with its file and place), 2 on wrong usage or an unreadable file.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
	"go.yaml.in/yaml/v3"
)

// query is one expression and where it was found, for error messages.
type query struct {
	where string
	expr  string
}

var (
	promql           = parser.NewParser(parser.Options{})
	grafanaIntervals = regexp.MustCompile(`\$\{?__(rate_interval|interval|range)\}?`)
	labelValues      = regexp.MustCompile(`^\s*label_values\(\s*(.*?)\s*,\s*[A-Za-z_][A-Za-z0-9_]*\s*\)\s*$`)
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: promql-metrics FILE...")
		os.Exit(2)
	}
	var queries []query
	for _, path := range os.Args[1:] {
		found, err := queriesOf(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "promql-metrics: %s: %v\n", path, err)
			os.Exit(2)
		}
		queries = append(queries, found...)
	}
	names := map[string]struct{}{}
	failed := false
	for _, q := range queries {
		found, err := metricNames(q.expr)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", q.where, err)
			failed = true
			continue
		}
		for _, name := range found {
			names[name] = struct{}{}
		}
	}
	sorted := make([]string, 0, len(names))
	for name := range names {
		sorted = append(sorted, name)
	}
	slices.Sort(sorted)
	for _, name := range sorted {
		fmt.Println(name)
	}
	if failed {
		os.Exit(1)
	}
}

func queriesOf(path string) ([]query, error) {
	content, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if strings.HasSuffix(path, ".json") {
		return dashboardQueries(path, content)
	}
	return ruleQueries(path, content)
}

// metricNames parses expr and returns the metric name of each of its vector selectors.
func metricNames(expr string) ([]string, error) {
	if match := labelValues.FindStringSubmatch(expr); match != nil {
		expr = match[1]
	}
	parsed, err := promql.ParseExpr(grafanaIntervals.ReplaceAllString(expr, "5m"))
	if err != nil {
		return nil, err
	}
	var names []string
	var unnamed error
	parser.Inspect(parsed, func(node parser.Node, _ []parser.Node) error {
		selector, ok := node.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		name := selector.Name
		for _, matcher := range selector.LabelMatchers {
			if name == "" && matcher.Name == labels.MetricName && matcher.Type == labels.MatchEqual {
				name = matcher.Value
			}
		}
		if name == "" {
			unnamed = fmt.Errorf("selector %s names no metric", selector)
			return nil
		}
		names = append(names, name)
		return nil
	})
	return names, unnamed
}

// ruleGroups is the part of a rule file (or of a PrometheusRule's spec) that holds expressions.
type ruleGroups struct {
	Kind   string `yaml:"kind"`
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []struct {
			Alert  string `yaml:"alert"`
			Record string `yaml:"record"`
			Expr   string `yaml:"expr"`
		} `yaml:"rules"`
	} `yaml:"groups"`
	Spec *ruleGroups `yaml:"spec"`
}

func ruleQueries(path string, content []byte) ([]query, error) {
	var file ruleGroups
	if err := yaml.Unmarshal(content, &file); err != nil {
		return nil, err
	}
	if file.Kind == "PrometheusRule" {
		if file.Spec == nil {
			return nil, errors.New("a PrometheusRule without spec")
		}
		file = *file.Spec
	}
	var queries []query
	for _, group := range file.Groups {
		for _, rule := range group.Rules {
			name := rule.Alert + rule.Record
			queries = append(queries, query{where: fmt.Sprintf("%s: group %q: rule %q", path, group.Name, name), expr: rule.Expr})
		}
	}
	if len(queries) == 0 {
		return nil, errors.New("no rules")
	}
	return queries, nil
}

// panel is the part of a Grafana panel that holds queries; rows hold panels of their own.
type panel struct {
	Title   string  `json:"title"`
	Panels  []panel `json:"panels"`
	Targets []struct {
		RefID string `json:"refId"`
		Expr  string `json:"expr"`
	} `json:"targets"`
}

type dashboard struct {
	Panels     []panel `json:"panels"`
	Templating struct {
		List []struct {
			Name  string          `json:"name"`
			Type  string          `json:"type"`
			Query json.RawMessage `json:"query"`
		} `json:"list"`
	} `json:"templating"`
}

func dashboardQueries(path string, content []byte) ([]query, error) {
	var board dashboard
	if err := json.Unmarshal(content, &board); err != nil {
		return nil, err
	}
	var queries []query
	var walk func(panels []panel)
	walk = func(panels []panel) {
		for _, p := range panels {
			for _, target := range p.Targets {
				if target.Expr != "" {
					queries = append(queries, query{where: fmt.Sprintf("%s: panel %q: target %s", path, p.Title, target.RefID), expr: target.Expr})
				}
			}
			walk(p.Panels)
		}
	}
	walk(board.Panels)
	for _, variable := range board.Templating.List {
		if variable.Type != "query" {
			continue
		}
		expr, err := variableQuery(variable.Query)
		if err != nil {
			return nil, fmt.Errorf("variable %q: %w", variable.Name, err)
		}
		queries = append(queries, query{where: fmt.Sprintf("%s: variable %q", path, variable.Name), expr: expr})
	}
	if len(queries) == 0 {
		return nil, errors.New("no queries")
	}
	return queries, nil
}

// variableQuery is a query variable's query, written by Grafana as a string or as an object
// with a `query` field.
func variableQuery(raw json.RawMessage) (string, error) {
	var text string
	if err := json.Unmarshal(raw, &text); err == nil {
		return text, nil
	}
	var object struct {
		Query string `json:"query"`
	}
	if err := json.Unmarshal(raw, &object); err != nil {
		return "", err
	}
	return object.Query, nil
}
