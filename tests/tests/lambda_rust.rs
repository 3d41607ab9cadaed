//! `Code::rust`: a crate of the workspace (`examples/rust-handler`) built with cargo into
//! a function's file asset, an executable `bootstrap` ELF that speaks the Lambda Runtime
//! API; a second synth reuses the build; what cannot be built here is a synth error that
//! says what to install.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use stack_core::asset::AssetKind;
use stack_core::prelude::*;
use tests::assert_lint_clean;

stack! {
    /// A Rust function for x86_64, by package name.
    pub stack RustX86 {
        resource orders: Function {
            code: Code::rust("rust-handler"),
            runtime: Runtime::ProvidedAl2023,
            handler: "bootstrap",
            architecture: Architecture::X86_64,
        }
    }
}

stack! {
    /// The same crate by its directory, relative to this crate.
    pub stack RustByPath {
        resource orders: Function {
            code: Code::rust("../examples/rust-handler"),
            runtime: Runtime::ProvidedAl2023,
            handler: "bootstrap",
        }
    }
}

stack! {
    /// A Rust function for arm64.
    pub stack RustArm {
        resource orders: Function {
            code: Code::rust("rust-handler"),
            runtime: Runtime::ProvidedAl2023,
            handler: "bootstrap",
            architecture: Architecture::Arm64,
        }
    }
}

stack! {
    /// What cannot be a Rust function: a misspelled crate, a library, a managed runtime.
    pub stack RustMistakes {
        resource misspelled: Function {
            code: Code::rust("rust-handlr"),
            runtime: Runtime::ProvidedAl2023,
            handler: "bootstrap",
        }
        resource library: Function {
            code: Code::rust("stack-spec"),
            runtime: Runtime::ProvidedAl2023,
            handler: "bootstrap",
        }
        resource managed: Function {
            code: Code::rust("rust-handler"),
            runtime: Runtime::Python313,
            handler: "index.handler",
        }
    }
}

/// The asset directory of the stack's only asset, and its hash.
fn asset(stack: &dyn Stack) -> (PathBuf, String) {
    let synthesized = stack.synthesized().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(synthesized.assets.len(), 1, "{:?}", synthesized.assets);
    let asset = &synthesized.assets[0];
    assert_eq!(asset.kind, AssetKind::FileArchive);
    let code = &synthesized.template.to_json()["Resources"]["Orders"]["Properties"]["Code"];
    assert_eq!(code["S3Key"], format!("{}.zip", asset.hash));
    (asset.source.clone(), asset.hash.clone())
}

/// Checks `bootstrap` is the only file of `dir`, an executable 64-bit little-endian ELF
/// program for `machine` (`e_machine`), and returns its path.
fn check_bootstrap(dir: &Path, machine: u16) -> PathBuf {
    let names: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|e| e.unwrap_or_else(|e| panic!("{e}")).file_name())
        .collect();
    assert_eq!(names, ["bootstrap"]);
    let bootstrap = dir.join("bootstrap");
    let elf = fs::read(&bootstrap).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(&elf[..4], b"\x7fELF");
    assert_eq!(elf[4], 2, "64-bit");
    assert_eq!(elf[5], 1, "little-endian");
    assert_eq!(
        u16::from_le_bytes([elf[16], elf[17]]),
        3,
        "a position-independent executable"
    );
    assert_eq!(u16::from_le_bytes([elf[18], elf[19]]), machine);
    let mode = fs::metadata(&bootstrap)
        .unwrap_or_else(|e| panic!("{e}"))
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o755);
    bootstrap
}

const EM_X86_64: u16 = 62;
const EM_AARCH64: u16 = 183;

#[test]
fn x86_64_crate_becomes_an_executable_bootstrap_reused_when_unchanged() {
    let (dir, hash) = asset(&RustX86::new("RustX86"));
    assert!(
        dir.ends_with("lambda/assets/rust-handler-x86_64"),
        "{}",
        dir.display()
    );
    let bootstrap = check_bootstrap(&dir, EM_X86_64);
    let built = fs::metadata(&bootstrap)
        .unwrap_or_else(|e| panic!("{e}"))
        .modified()
        .unwrap_or_else(|e| panic!("{e}"));

    // Nothing changed: cargo relinks nothing, the staged file is left alone, same hash.
    let (again, same) = asset(&RustX86::new("RustX86"));
    assert_eq!((&again, &same), (&dir, &hash));
    assert_eq!(
        fs::metadata(&bootstrap)
            .unwrap_or_else(|e| panic!("{e}"))
            .modified()
            .unwrap_or_else(|e| panic!("{e}")),
        built
    );

    // The crate named by its directory is the same asset.
    assert_eq!(asset(&RustByPath::new("RustByPath")).1, hash);
    assert_lint_clean(&RustX86::new("RustX86"));
}

#[test]
fn the_bootstrap_answers_an_event_through_the_runtime_api() {
    let (dir, _) = asset(&RustX86::new("RustX86"));
    if std::env::consts::ARCH != "x86_64" {
        // The x86_64 binary cannot run here; the other test checked it.
        return;
    }
    let api = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let mut child = Command::new(dir.join("bootstrap"))
        .env(
            "AWS_LAMBDA_RUNTIME_API",
            api.local_addr()
                .unwrap_or_else(|e| panic!("{e}"))
                .to_string(),
        )
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let event = br#"{"order":"o-1","items":3}"#;

    let (request, _) = exchange(
        &api,
        "200 OK",
        "Lambda-Runtime-Aws-Request-Id: req-1\r\n",
        event,
    );
    assert!(
        request.starts_with("GET /2018-06-01/runtime/invocation/next "),
        "{request}"
    );
    let (request, body) = exchange(&api, "202 Accepted", "", b"");
    assert!(
        request.starts_with("POST /2018-06-01/runtime/invocation/req-1/response "),
        "{request}"
    );
    assert_eq!(body, format!("{{\"bytes\":{}}}", event.len()));

    // It asks for the next event; the test ends here.
    let (next, mut stream) = accept(&api);
    assert!(
        next.starts_with("GET /2018-06-01/runtime/invocation/next "),
        "{next}"
    );
    child.kill().unwrap_or_else(|e| panic!("{e}"));
    child.wait().unwrap_or_else(|e| panic!("{e}"));
    let _ = stream.flush();
}

/// Accepts one connection and reads its request line, headers and body.
fn accept(api: &TcpListener) -> (String, TcpStream) {
    let (stream, _) = api.accept().unwrap_or_else(|e| panic!("{e}"));
    let mut reader = BufReader::new(stream.try_clone().unwrap_or_else(|e| panic!("{e}")));
    let mut head = String::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader
            .read_line(&mut line)
            .unwrap_or_else(|e| panic!("{e}"));
        if let Some(n) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = n.trim().parse().unwrap_or_else(|e| panic!("{e}"));
        }
        if line.trim_end().is_empty() {
            break;
        }
        head.push_str(&line);
    }
    let mut body = vec![0; length];
    reader
        .read_exact(&mut body)
        .unwrap_or_else(|e| panic!("{e}"));
    head.push_str("\r\n");
    head.push_str(&String::from_utf8(body).unwrap_or_else(|e| panic!("{e}")));
    (head, stream)
}

/// Serves one request with `status`, extra `headers` and `body`; returns the request's
/// head and body.
fn exchange(api: &TcpListener, status: &str, headers: &str, body: &[u8]) -> (String, String) {
    let (request, mut stream) = accept(api);
    write!(
        stream,
        "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap_or_else(|e| panic!("{e}"));
    stream.write_all(body).unwrap_or_else(|e| panic!("{e}"));
    let (head, body) = request.split_once("\r\n\r\n").expect("a head and a body");
    (head.to_owned(), body.to_owned())
}

/// What this machine has of what an arm64 build needs: the target's standard library,
/// and cargo-zigbuild (the linker when the machine is not arm64 itself).
fn arm64_tools() -> (bool, bool) {
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let sysroot = PathBuf::from(String::from_utf8_lossy(&sysroot.stdout).trim());
    let std = sysroot
        .join("lib/rustlib/aarch64-unknown-linux-gnu/lib")
        .is_dir();
    let zig = std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| dir.join("cargo-zigbuild").is_file())
    });
    (std, zig)
}

#[test]
fn arm64_builds_or_says_what_to_install() {
    let stack = RustArm::new("RustArm");
    let (std, zig) = arm64_tools();
    let native = std::env::consts::ARCH == "aarch64";
    if std && (zig || native) {
        let (dir, _) = asset(&stack);
        check_bootstrap(&dir, EM_AARCH64);
        return;
    }
    // Not a skip: without the target, the stack is an error that says what to install.
    let problems = &stack.synthesized().expect_err("cannot be built").problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    let problem = &problems[0];
    assert!(
        problem.starts_with("function `Orders`: cannot build for arm64 on this linux "),
        "{problem}"
    );
    let names = |what: &str| problem.contains(what);
    assert_eq!(
        names("`rustup target add aarch64-unknown-linux-gnu`"),
        !std,
        "{problem}"
    );
    assert_eq!(
        names("`pip install ziglang cargo-zigbuild`"),
        !zig && !native,
        "{problem}"
    );
}

#[test]
fn mistakes_are_synth_errors_that_say_what_to_do() {
    let stack = RustMistakes::new("RustMistakes");
    let error = stack.synthesized().expect_err("cannot be built");
    assert_eq!(
        error.problems,
        [
            "function `Misspelled`: `rust-handlr` is not a package of the workspace (nor the directory of one); did you mean `rust-handler`?",
            "function `Library`: Rust crate `stack-spec` has no binary target; a Lambda bootstrap is a program, add `src/main.rs`",
            "function `Managed`: a Rust crate runs on `Runtime::ProvidedAl2023`, not `python3.13`",
        ]
    );
}
