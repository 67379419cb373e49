// pulumi-language-nodejs for the real-CLI suite (`npm run test:cli`).
//
// Pulumi's own Node.js language host is a separate Go module (sdk/nodejs/cmd/pulumi-language-nodejs) that the
// Go module proxy reachable from the project's machines does not serve, so this is a small host of ours built
// against the same github.com/pulumi/pulumi/sdk/v3 as the CLI. It does what the engine needs from a Node.js host
// for `pulumi preview`, `up`, `destroy` and policy packs, the way the upstream host does it:
//
//   - Run starts `node <@pulumi/pulumi/cmd/run> --monitor ... --engine ... --project ... --stack ... [--dry-run]
//     <entry point>` in the program directory with PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS, and maps exit code
//     32 ("the program already reported its error") to Bail;
//   - RunPlugin with kind "analyzer" starts `node <@pulumi/pulumi/cmd/run-policy-pack> <engine> <pack dir>` in
//     the pack's folder behind the SDK's PolicyProxy (which answers the engine's ConfigureStack and passes the
//     stack's project, stack name, dry-run flag and config to the pack as PULUMI_NODEJS_* / PULUMI_CONFIG);
//   - GetRequiredPackages lists the resource plugins named by package.json "pulumi" sections under
//     node_modules, so the engine loads each provider at the version the program's SDKs ask for.
//
// Not implemented (the suite does not use them): synchronous invokes (no --sync pipes), the monitor proxy, code
// generation, dependency installation (npm ci runs before the suite) and debugging.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// The Node.js runtime reports "already told the user" with this exit code (@pulumi/pulumi/cmd/run).
const exitedAfterUserActionableMessage = 32

func main() {
	flag.String("tracing", "", "ignored: tracing endpoint")
	flag.String("root", "", "ignored: project root")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.Version)
		return
	}
	host := &languageHost{}
	if args := flag.Args(); len(args) > 0 {
		host.engineAddress = args[0]
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host RPC server: %w", err))
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func (h *languageHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.engineAddress = req.EngineAddress
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// resolveModule asks node where a module resolves from dir, as `require` in the program would.
func resolveModule(dir, module string) (string, error) {
	cmd := exec.Command("node", "-e", fmt.Sprintf("console.log(require.resolve(%q))", module))
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s cannot be resolved from %s (run npm ci there): %w", module, dir, err)
	}
	return strings.TrimSpace(string(out)), nil
}

type packageJSON struct {
	Name    string                  `json:"name"`
	Version string                  `json:"version"`
	Pulumi  plugin.PulumiPluginJSON `json:"pulumi"`
}

// requiredPackages walks node_modules (nested ones too) for packages whose package.json has a "pulumi" section
// with resource: true. The name defaults to the @pulumi/ package's simple name, the version to the package's.
func requiredPackages(dir string) []*pulumirpc.PackageDependency {
	seen := map[string]bool{}
	var out []*pulumirpc.PackageDependency
	var walk func(nodeModules string, depth int)
	walk = func(nodeModules string, depth int) {
		if depth > 8 {
			return
		}
		entries, err := os.ReadDir(nodeModules)
		if err != nil {
			return
		}
		var pkgDirs []string
		for _, e := range entries {
			p := filepath.Join(nodeModules, e.Name())
			if strings.HasPrefix(e.Name(), "@") {
				scoped, _ := os.ReadDir(p)
				for _, s := range scoped {
					pkgDirs = append(pkgDirs, filepath.Join(p, s.Name()))
				}
			} else if !strings.HasPrefix(e.Name(), ".") {
				pkgDirs = append(pkgDirs, p)
			}
		}
		for _, pd := range pkgDirs {
			b, err := os.ReadFile(filepath.Join(pd, "package.json"))
			if err == nil {
				var info packageJSON
				if json.Unmarshal(b, &info) == nil && info.Pulumi.Resource {
					name := info.Pulumi.Name
					if name == "" {
						name = strings.TrimPrefix(info.Name, "@pulumi/")
					}
					v := info.Pulumi.Version
					if v == "" {
						v = info.Version
					}
					if !strings.HasPrefix(v, "v") {
						v = "v" + v
					}
					if key := name + "@" + v; !seen[key] {
						seen[key] = true
						out = append(out, &pulumirpc.PackageDependency{
							Name: name, Kind: "resource", Version: v, Server: info.Pulumi.Server,
						})
					}
				}
			}
			walk(filepath.Join(pd, "node_modules"), depth+1)
		}
	}
	for d := dir; ; d = filepath.Dir(d) {
		walk(filepath.Join(d, "node_modules"), 0)
		if filepath.Dir(d) == d {
			break
		}
	}
	return out
}

func (h *languageHost) GetRequiredPackages(
	_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{Packages: requiredPackages(req.Info.ProgramDirectory)}, nil
}

func (h *languageHost) GetRequiredPlugins(
	_ context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	var plugins []*pulumirpc.PluginDependency
	for _, p := range requiredPackages(req.Info.ProgramDirectory) {
		plugins = append(plugins, &pulumirpc.PluginDependency{Name: p.Name, Kind: p.Kind, Version: p.Version})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// nodeEnv is the environment @pulumi/pulumi's runtime reads: config in the <ns>:config:<name> form, secret keys.
func nodeEnv(req *pulumirpc.RunRequest) ([]string, error) {
	cfg := map[string]string{}
	for k, v := range req.GetConfig() {
		key, err := config.ParseKey(k)
		if err != nil {
			return nil, err
		}
		cfg[key.Namespace()+":config:"+key.Name()] = v
	}
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(), "PULUMI_CONFIG="+string(cfgJSON), "PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON))
	if ts, ok := req.GetInfo().GetOptions().AsMap()["typescript"].(bool); !ok || ts {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	return env, nil
}

func (h *languageHost) Run(_ context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	if h.engineAddress == "" {
		return nil, errors.New("no engine address: the engine must pass it or call Handshake before Run")
	}
	info := req.GetInfo()
	runPath, err := resolveModule(info.ProgramDirectory, "@pulumi/pulumi/cmd/run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	args := []string{runPath}
	add := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", h.engineAddress)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("root-directory", info.RootDirectory)
	add("stack", req.GetStack())
	add("pwd", info.ProgramDirectory)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	add("parallel", strconv.Itoa(int(req.GetParallel())))
	args = append(args, info.EntryPoint)
	args = append(args, req.GetArgs()...)

	env, err := nodeEnv(req)
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("failed to serialize configuration: %v", err)}, nil
	}
	cmd := exec.Command("node", args...)
	cmd.Dir = info.ProgramDirectory
	cmd.Env = env
	cmd.Stdout = struct{ *os.File }{os.Stdout}
	cmd.Stderr = struct{ *os.File }{os.Stderr}
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == exitedAfterUserActionableMessage {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d",
				exitErr.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program: %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// RunPlugin starts a policy pack (kind "analyzer") behind the SDK's PolicyProxy, as the upstream host does.
func (h *languageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	if req.Kind != "analyzer" {
		return fmt.Errorf("this language host runs policy packs only, not %q plugins", req.Kind)
	}
	ctx := server.Context()
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	dir := req.Info.ProgramDirectory
	runPath, err := resolveModule(dir, "@pulumi/pulumi/cmd/run-policy-pack")
	if err != nil {
		return err
	}
	env := req.Env
	if ts, ok := req.Info.Options.AsMap()["typescript"].(bool); !ok || ts {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}

	proxy, proxyStdout, err := sdk.NewPolicyProxy(ctx, stdout)
	if err != nil {
		return fmt.Errorf("could not start policy pack proxy: %w", err)
	}
	stack, err := proxy.AwaitConfiguration(ctx)
	if err != nil {
		return fmt.Errorf("could not get stack configuration: %w", err)
	}
	if stack != nil {
		set := func(k, v string) {
			if v != "" {
				env = append(env, k+"="+v)
			}
		}
		set("PULUMI_NODEJS_ORGANIZATION", stack.Organization)
		set("PULUMI_NODEJS_PROJECT", stack.Project)
		set("PULUMI_NODEJS_STACK", stack.Stack)
		set("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(stack.DryRun))
		if stack.Config != nil {
			b, err := json.Marshal(stack.Config)
			if err != nil {
				return fmt.Errorf("could not marshal stack configuration: %w", err)
			}
			set("PULUMI_CONFIG", string(b))
		}
	}

	args := append([]string{runPath}, req.Args...)
	args = append(args, dir)
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = dir // policy packs run in their own folder
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = proxyStdout, stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not start the policy pack: %w", err)
	}
	if err := proxy.Attach(ctx, cmd); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return fmt.Errorf("Program exited with non-zero exit code: %d", exitErr.ExitCode())
		}
		return fmt.Errorf("could not attach policy pack proxy: %w", err)
	}
	return closer.Close()
}

func (h *languageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, _, err := rpcutil.MakeInstallDependenciesStreams(server, req.IsTerminal)
	if err != nil {
		return err
	}
	defer closer.Close()
	fmt.Fprintf(stdout, "Dependencies are installed with npm ci before the suite runs.\n")
	return closer.Close()
}

func (h *languageHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, err
	}
	out, _ := exec.Command(node, "--version").Output()
	return &pulumirpc.AboutResponse{Executable: node, Version: strings.TrimSpace(string(out))}, nil
}

func (h *languageHost) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}
