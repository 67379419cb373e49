//go:build tools

// The Pulumi CLI's main package, built by scripts/pulumi-cli/ensure.sh with `go build`: a module of ours that
// requires pkg/v3 and sdk/v3 at the @pulumi/pulumi version of package-lock.json (`go install pkg@version` is refused
// because pkg/v3's go.mod has replace lines).
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
