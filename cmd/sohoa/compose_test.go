package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// composeFile is the part of compose.yaml this test reads.
type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Command     []string          `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
	} `yaml:"services"`
}

// composeVar is a variable reference as Compose writes it: ${NAME}, ${NAME:-default} or
// ${NAME:?error}.
var composeVar = regexp.MustCompile(`\$\{([A-Z_]+)(?::([-?])([^}]*))?\}`)

// No Docker engine runs on the machines this project is built and tested on, so compose.yaml
// is never started here; this test keeps it true to the code instead: every service sohoa
// needs is there, serve and worker run commands the binary has, and their environment, with the
// operator's secrets filled in, is a configuration LoadConfig accepts and that points at
// PostgreSQL, the S3 bucket, Redis and Meilisearch by their service names.
func TestComposeConfig(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	for _, name := range []string{"postgres", "redis", "meilisearch", "minio", "minio-init", "serve", "worker"} {
		if _, ok := c.Services[name]; !ok {
			t.Errorf("compose.yaml has no service %q", name)
		}
	}
	secrets := map[string]string{
		"SOHOA_PG_PASSWORD": "pg-secret", "SOHOA_S3_SECRET_KEY": "s3-secret-0123456789",
		"SOHOA_MEILI_KEY": "meili-key-0123456789", "SOHOA_API_KEYS": "long-random-token:admin",
	}
	for _, name := range []string{"serve", "worker"} {
		svc := c.Services[name]
		if len(svc.Command) == 0 {
			t.Fatalf("%s has no command", name)
		}
		if _, ok := commands()[svc.Command[0]]; !ok {
			t.Errorf("%s runs %q, which sohoa has no command for", name, svc.Command[0])
		}
		env := map[string]string{}
		for k, v := range svc.Environment {
			env[k] = composeVar.ReplaceAllStringFunc(v, func(ref string) string {
				m := composeVar.FindStringSubmatch(ref)
				if s, ok := secrets[m[1]]; ok {
					return s
				}
				if m[2] == "-" {
					return m[3]
				}
				t.Errorf("%s: %s refers to %s, which the operator is not told to set", name, k, m[1])
				return ""
			})
			if strings.HasPrefix(k, "SOHOA_") && !knownVariable(k) {
				t.Errorf("%s sets %s, which sohoa does not read", name, k)
			}
		}
		cfg, err := LoadConfig(func(k string) string { return env[k] })
		if err != nil {
			t.Fatalf("%s: LoadConfig: %v", name, err)
		}
		if !strings.HasPrefix(cfg.DatabaseURL, "postgres://sohoa:pg-secret@postgres:5432/") {
			t.Errorf("%s: database %q, want the postgres service", name, cfg.DatabaseURL)
		}
		if cfg.Blobs.S3 == nil || cfg.Blobs.S3.Bucket != "sohoa" || !strings.Contains(cfg.Blobs.S3.Endpoint, "minio:9000") {
			t.Errorf("%s: blobs %+v, want the bucket sohoa on the minio service", name, cfg.Blobs)
		}
		if cfg.RedisAddr != "redis:6379" || cfg.MeiliURL != "http://meilisearch:7700" || cfg.MeiliKey != secrets["SOHOA_MEILI_KEY"] {
			t.Errorf("%s: redis %q, meilisearch %q key %q", name, cfg.RedisAddr, cfg.MeiliURL, cfg.MeiliKey)
		}
	}
}

// knownVariable reports whether config.go names the variable (every SOHOA_ variable sohoa reads
// is named there or in blobs.go, where the documentation of Config lists it).
func knownVariable(name string) bool {
	for _, f := range []string{"config.go", "blobs.go"} {
		src, err := os.ReadFile(f)
		if err == nil && strings.Contains(string(src), `"`+name+`"`) {
			return true
		}
	}
	return false
}
