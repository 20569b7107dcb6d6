// Command dockerfile-lint parses Dockerfiles and runs BuildKit's lint rules on them, the
// checks `docker build --check` runs, without a BuildKit daemon or a registry.
//
//	dockerfile-lint FILE...
//
// Each warning is printed as `FILE:LINE: RULE: MESSAGE`, each parse error as
// `FILE:LINE: error: MESSAGE`. The exit status is 0 when no file has a warning or an error, 1
// when any has, 2 on wrong usage or an unreadable file.
//
// Base images are not fetched: each one resolves to an empty image for the target platform,
// so the rules judge the Dockerfile's own text, not what its base images declare.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: dockerfile-lint FILE...")
		os.Exit(2)
	}
	failed := false
	for _, path := range os.Args[1:] {
		findings, err := lintFile(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "dockerfile-lint: %v\n", err)
			os.Exit(2)
		}
		for _, finding := range findings {
			fmt.Println(finding)
		}
		failed = failed || len(findings) > 0
	}
	if failed {
		os.Exit(1)
	}
}

// lintFile returns one line per warning or parse error in the Dockerfile at path.
func lintFile(path string) ([]string, error) {
	dt, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	// The results record their source with its LLB definition, which linting does not build.
	source := llb.NewSourceMap(nil, path, "Dockerfile", dt)
	source.Definition = &llb.Definition{}
	results, err := dockerfile2llb.DockerfileLint(context.Background(), dt, dockerfile2llb.ConvertOpt{
		SourceMap:    source,
		MetaResolver: emptyImages{},
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var findings []string
	for _, warning := range results.Warnings {
		findings = append(findings, fmt.Sprintf("%s:%d: %s: %s", path, firstLine(warning.Location), warning.RuleName, warning.Detail))
	}
	if results.Error != nil {
		findings = append(findings, fmt.Sprintf("%s:%d: error: %s", path, firstLine(&results.Error.Location), results.Error.Message))
	}
	return findings, nil
}

// firstLine is the line a finding starts on, or 0 when BuildKit gave it no location.
func firstLine(location *pb.Location) int32 {
	if location == nil || len(location.Ranges) == 0 || location.Ranges[0].Start == nil {
		return 0
	}
	return location.Ranges[0].Start.Line
}

// emptyImages answers every base image with an empty image configuration for the requested
// platform, so that linting needs no registry.
type emptyImages struct{}

func (emptyImages) ResolveImageConfig(_ context.Context, ref string, opt sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	config := map[string]any{"architecture": "amd64", "os": "linux", "rootfs": map[string]any{"type": "layers"}}
	if opt.ImageOpt != nil && opt.ImageOpt.Platform != nil {
		config["architecture"] = opt.ImageOpt.Platform.Architecture
		config["os"] = opt.ImageOpt.Platform.OS
	}
	dt, err := json.Marshal(config)
	return ref, "", dt, err
}
